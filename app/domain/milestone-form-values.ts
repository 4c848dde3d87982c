/* The milestone form as typed: shared by the form component and the server code that checks it. */

export interface MilestoneFormValues {
  title: string;
  description: string;
  ownerSide: string;
  ownerStakeholderId: string;
  durationDays: string;
  lagDays: string;
  dependsOn: string[];
  pinnedDate: string;
  isClose: boolean;
  completedOn: string;
}

export const emptyMilestone: MilestoneFormValues = {
  title: "",
  description: "",
  ownerSide: "seller",
  ownerStakeholderId: "",
  durationDays: "1",
  lagDays: "0",
  dependsOn: [],
  pinnedDate: "",
  isClose: false,
  completedOn: "",
};

/** Reads the milestone form back, as strings, so a failed submit re-shows exactly what was typed. */
export function readMilestoneForm(form: FormData): MilestoneFormValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return {
    title: text("title"),
    description: text("description"),
    ownerSide: text("ownerSide"),
    ownerStakeholderId: text("ownerStakeholderId"),
    durationDays: text("durationDays"),
    lagDays: text("lagDays"),
    dependsOn: form.getAll("dependsOn").filter((v): v is string => typeof v === "string"),
    pinnedDate: text("pinnedDate"),
    isClose: form.get("isClose") === "on",
    completedOn: text("completedOn"),
  };
}
