/**
 * How to name a milestone's projected finish next to its due date. "Projected 3 Mar" beside "due
 * 10 Mar" read as a contradiction; the words say what the forward pass means: ahead of the due date
 * it is the earliest the work could be done, after it the date it is likely to slip to.
 */
export function projectedFinishWords(projectedFinish: string | null, due: string | null): "could finish by" | "likely to finish" | null {
  if (!projectedFinish || !due || projectedFinish === due) return null;
  return projectedFinish < due ? "could finish by" : "likely to finish";
}
