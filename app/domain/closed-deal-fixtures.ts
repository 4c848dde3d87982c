import type { ClosedDeal } from "~/domain/forecast-accuracy";

/*
 * Two closed deals the accuracy tests work out by hand (calendar fiscal quarters; fixed dates,
 * since the functions take no clock). Only tests import this.
 *
 * Ana's plan: seller-proposed 15 days early until mid-April, then customer-confirmed a day early;
 * her CRM date moved from 31 March to 31 May. Ben's: 61 days old at its close, confirmed 4 days late.
 */
export const ana: ClosedDeal = {
  planId: "a",
  ownerId: "u1",
  ownerName: "Ana",
  createdOn: "2026-01-02",
  closedOn: "2026-06-30",
  states: [
    { from: "2026-01-02", forecastClose: "2026-06-15", goLiveConfirmed: false, projectedClose: "2026-07-10", crmClose: "2026-03-31" },
    { from: "2026-04-15", forecastClose: "2026-06-29", goLiveConfirmed: true, projectedClose: "2026-06-29", crmClose: "2026-05-31" },
  ],
};

export const ben: ClosedDeal = {
  planId: "b",
  ownerId: "u2",
  ownerName: "Ben",
  createdOn: "2026-05-20",
  closedOn: "2026-07-20",
  states: [{ from: "2026-05-20", forecastClose: "2026-07-24", goLiveConfirmed: true, projectedClose: null, crmClose: null }],
};
