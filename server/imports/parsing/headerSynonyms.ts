// How funds, CPTS and rosters spell each column, written in normalised form (see
// normaliseText: lower case, no accents, punctuation as spaces).

export const PATIENT_SYNONYMS = {
  externalId: [
    "identifiant", "id", "id patient", "identifiant patient", "num assure", "numero assure", "n assure", "no assure",
    "num patient", "numero patient", "code patient", "id assure", "identifiant assure", "num beneficiaire",
    "numero beneficiaire", "id beneficiaire", "identifiant beneficiaire", "num dossier", "numero dossier",
    "n dossier", "id externe", "ref patient", "reference patient", "identifiant caisse", "id caisse", "identifiant externe",
  ],
  lastName: [
    "nom", "nom patient", "nom usage", "nom d usage", "nom usuel", "nom marital", "nom assure", "nom beneficiaire",
    "last name", "lastname", "nom de l assure",
  ],
  birthName: [
    "nom de naissance", "nom naissance", "nom de jeune fille", "nom jeune fille", "nom patronymique", "nom de famille",
    "nom famille", "birth name",
  ],
  firstName: [
    "prenom", "prenoms", "prenom patient", "premier prenom", "first name", "firstname", "prenom usuel", "prenom assure",
    "prenom beneficiaire",
  ],
  birthDate: [
    "date naissance", "date de naissance", "ddn", "dn", "naissance", "date nais", "date naiss", "dt naissance",
    "dt naiss", "date de naiss", "ne le", "nee le", "ne e le", "birth date", "birthdate", "date of birth", "dob",
    "date naissance patient",
  ],
  sex: ["sexe", "sex", "genre", "code sexe", "sexe patient"],
  phones: [],
  address: [
    "adresse", "adresse 1", "adresse1", "adresse 2", "adresse2", "adresse 3", "adresse3", "adr", "adr1", "adr2",
    "voie", "rue", "libelle voie", "adresse postale", "complement adresse", "complement d adresse",
    "adresse ligne 1", "adresse ligne 2", "ligne adresse 1", "ligne adresse 2", "numero et voie", "adresse patient",
  ],
  postalCode: [
    "cp", "code postal", "codepostal", "code post", "cp residence", "code postal residence", "cp patient",
    "code postal patient", "postal code", "zip",
  ],
  communeName: [
    "commune", "ville", "localite", "libelle commune", "nom commune", "commune residence", "commune de residence",
    "ville residence", "lib commune", "libelle ville", "city", "bureau distributeur", "commune patient",
  ],
  inseeCode: [
    "code insee", "insee", "code commune", "code commune insee", "cog", "depcom", "code insee commune",
    "insee commune", "commune insee", "code geo", "codgeo", "code insee residence", "code insee commune residence",
  ],
  ald: [
    "ald", "top ald", "flag ald", "exoneration ald", "en ald", "patient ald", "ind ald", "indicateur ald", "ald 30",
    "ald30", "affection longue duree", "statut ald", "ald o n",
  ],
  css: [
    "css", "c2s", "cmu", "cmuc", "cmu c", "complementaire sante solidaire", "top css", "top c2s", "flag css",
    "beneficiaire css", "beneficiaire c2s", "css c2s", "ind css", "css o n",
  ],
  nir: [
    "nir", "n secu", "numero secu", "num secu", "no secu", "numero de securite sociale", "numero securite sociale",
    "n securite sociale", "nss", "num ss", "n ss", "no ss", "ins", "ins nir", "nir patient", "numero ss",
  ],
  hasMt: [
    "mt", "medecin traitant", "a un mt", "mt declare", "presence mt", "top mt", "avec mt", "medecin traitant declare",
    "declaration mt", "mt o n", "presence medecin traitant", "declaration medecin traitant",
  ],
  optOut: [
    "opposition", "opposant", "refus contact", "opt out", "optout", "refus", "oppose", "opposition contact",
    "opposition demarchage", "ne pas appeler", "ne pas contacter", "refus d etre contacte", "refus d etre appele",
    "refus appel", "refus demarchage", "opposition appel", "opposition telephonique", "oppose au demarchage",
    "ne souhaite pas etre contacte", "ne souhaite pas etre appele",
  ],
  consentContact: [
    "consentement", "consentement contact", "accord contact", "accepte contact", "consent", "accord",
    "accord patient", "consentement appel", "accepte d etre contacte", "accord appel", "accepte d etre appele",
    "accord pour etre contacte", "consentement a etre contacte", "consentement a etre appele",
  ],
  relationRpps: [
    "rpps medecin consulte", "rpps medecin", "rpps consulte", "rpps mt", "rpps du medecin", "rpps",
    "medecin consulte rpps", "rpps med", "rpps medecin frequent", "rpps generaliste",
  ],
  relationVisits: [
    "nb consultations", "nombre consultations", "nombre de consultations", "nb consult", "nb actes",
    "nombre d actes", "nb visites", "nombre visites", "nb consultations medecin", "nb cs", "nb consultations mt",
  ],
} as const;

export const GP_SYNONYMS = {
  rpps: [
    "rpps", "n rpps", "numero rpps", "num rpps", "identifiant rpps", "id rpps", "identification nationale pp",
    "identifiant pp", "rpps medecin", "code rpps",
  ],
  lastName: ["nom", "nom medecin", "nom d exercice", "nom exercice", "nom du medecin", "nom praticien", "nom ps"],
  firstName: ["prenom", "prenom medecin", "prenom d exercice", "prenom exercice", "prenom praticien", "prenom ps"],
  address: [
    ...PATIENT_SYNONYMS.address, "adresse cabinet", "adresse d exercice", "adresse exercice",
    "libelle voie coord structure", "numero voie coord structure",
  ],
  postalCode: [...PATIENT_SYNONYMS.postalCode, "code postal coord structure", "cp cabinet", "code postal cabinet"],
  communeName: [
    ...PATIENT_SYNONYMS.communeName, "libelle commune coord structure", "commune cabinet", "commune d exercice",
    "commune exercice", "ville cabinet",
  ],
  inseeCode: [...PATIENT_SYNONYMS.inseeCode, "code commune coord structure", "code insee cabinet"],
  lat: ["lat", "latitude", "y", "coord y", "gps lat"],
  lng: ["lng", "lon", "long", "longitude", "x", "coord x", "gps lng", "gps lon"],
  team: [
    "msp", "equipe", "nom msp", "structure", "cabinet", "maison de sante", "nom equipe", "nom structure",
    "raison sociale site", "groupe", "centre de sante", "nom du cabinet", "equipe msp",
  ],
  acceptsNew: [
    "accepte nouveaux patients", "accepte nouveaux", "nouveaux patients", "ouvert", "ouvert nouveaux patients",
    "accepte de nouveaux patients", "prend nouveaux patients", "accueil nouveaux patients", "disponible",
  ],
  capacity: [
    "capacite", "places", "nb places", "capacite nouveaux patients", "quota", "nombre de places",
    "nb nouveaux patients", "capacite d accueil", "places disponibles",
  ],
  acceptsAld: ["accepte ald", "ald", "patients ald", "accepte patients ald", "ald accepte", "accepte les ald"],
  endOfActivity: [
    "date fin activite", "fin activite", "date de fin d activite", "date cessation", "cessation",
    "date cessation activite", "date depart", "date depart retraite", "retraite", "date retraite", "fin d activite",
  ],
  birthYear: ["annee naissance", "annee de naissance", "an naissance", "annee naiss"],
  email: ["email", "e mail", "mail", "courriel", "adresse mail", "adresse email", "adresse e mail", "mel", "adresse electronique", "mssante", "adresse mssante"],
} as const;
