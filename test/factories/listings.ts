export { encodeCpam, generateListing, LISTING_HEADER, listingLine, rng } from "../../server/seed/demoListing.ts";
