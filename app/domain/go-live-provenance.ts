/* Whose go-live date it is: customer-confirmed or seller-proposed. */

export type Provenance = "confirmed" | "proposed";

export const PROVENANCE_LABEL: Record<Provenance, string> = {
  confirmed: "Customer-confirmed",
  proposed: "Seller-proposed",
};

/**
 * Customer-confirmed: a buyer confirmed (or set) the go-live date since its last change. The write
 * path clears the confirmation whenever someone other than a buyer moves the date, so a stored
 * confirmation always belongs to the current date.
 */
export function provenanceOf(plan: { goLiveConfirmedAt: Date | string | null }): Provenance {
  return plan.goLiveConfirmedAt === null || plan.goLiveConfirmedAt === undefined ? "proposed" : "confirmed";
}
