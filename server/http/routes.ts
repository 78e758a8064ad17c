// Every API route of the product, in one list: the router, the policy test and OpenAPI read it.
import { auditRoutes } from "../audit/routes.ts";
import { authRoutes } from "../auth/routes.ts";
import { campaignRoutes } from "../campaigns/routes.ts";
import { dialerRoutes } from "../dialer/routes.ts";
import { telephonyRoutes } from "../calls/routes.ts";
import { liveRoutes } from "../live/routes.ts";
import { importRoutes } from "../imports/routes.ts";
import { importMappingRoutes } from "../imports/mappingRoutes.ts";
import { organisationRoutes } from "../organisations/routes.ts";
import { telephonySettingsRoutes } from "../organisations/telephonyRoutes.ts";
import { userRoutes } from "../users/routes.ts";
import { consentRoutes } from "../consent/routes.ts";
import { matchingRoutes } from "../matching/routes.ts";
import { linkRoutes } from "../matching/linkRoutes.ts";
import { declarationRoutes } from "../declarations/routes.ts";
import { oppositionRoutes } from "../consent/oppositionRoutes.ts";
import { teamProfileRoutes } from "../matching/teamProfileRoutes.ts";
import { reportRoutes } from "../reports/routes.ts";
import { privacyRoutes } from "../privacy/routes.ts";
import type { RouteDef } from "./defineRoute.ts";

export const apiRoutes: RouteDef[] = [...authRoutes, ...organisationRoutes, ...telephonySettingsRoutes, ...userRoutes, ...campaignRoutes, ...importRoutes, ...importMappingRoutes, ...dialerRoutes, ...telephonyRoutes, ...liveRoutes, ...auditRoutes,
  ...consentRoutes, ...matchingRoutes, ...linkRoutes, ...declarationRoutes, ...oppositionRoutes, ...teamProfileRoutes,
  ...reportRoutes, ...privacyRoutes];
