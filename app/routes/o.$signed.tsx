/*
 * `/o/<signed>`: the buyer's way back in from an email other than the invite. It opens the same
 * identity step as `/s/<token>` (or goes straight to the plan on a remembered device), resolved
 * from a signed pointer to the buyer's link instead of the raw token.
 */
export { action, default, ErrorBoundary, handle, headers, loader, meta } from "~/routes/s.$token";
