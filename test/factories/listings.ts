export { encodeCpam, generateListing, LISTING_HEADER, listingLine } from "../../server/seed/demoListing.ts";
