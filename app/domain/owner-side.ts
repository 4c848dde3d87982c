/** Whose work a milestone is: the buyer's people, the seller's, or both together. */
export type OwnerSide = "buyer" | "seller" | "joint";

export const OWNER_SIDES: readonly OwnerSide[] = ["buyer", "seller", "joint"];

export const OWNER_SIDE_LABELS: Record<OwnerSide, string> = {
  buyer: "Buyer",
  seller: "Seller",
  joint: "Joint",
};
