import { describe, expect, it } from "vitest";
import { canonicalJson, type StoredEvent } from "~/domain/plan-events";
import { eventHash, verifyEventChain } from "~/infra/event-chain.server";

function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      planId: "p1",
      seq,
      actor: { side: "seller" as const, name: "Sam" },
      action: "milestone.updated",
      entityType: "milestone" as const,
      entityId: `m${seq}`,
      changes: { duration_days: { before: seq, after: seq + 1 } },
      reason: null,
      createdAt: `2026-11-2${seq % 9}T10:00:00.000Z`,
    };
    const hash = eventHash(prev, content);
    events.push({ ...content, id: `e${seq}`, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe("the edit log's hash chain", () => {
  it("serialises the same event the same way whatever the key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it("accepts an intact chain", () => {
    expect(verifyEventChain(chain(5))).toEqual([]);
  });

  it("names exactly the altered event", () => {
    const events = chain(5);
    events[2] = { ...events[2], changes: { duration_days: { before: 3, after: 40 } } };
    expect(verifyEventChain(events)).toEqual([expect.objectContaining({ kind: "altered", eventId: "e3", seq: 3 })]);
  });

  it("names a deleted event by the gap it leaves", () => {
    const events = chain(5).filter((e) => e.seq !== 4);
    const problems = verifyEventChain(events);
    expect(problems[0]).toMatchObject({ kind: "missing", afterSeq: 3 });
    expect(problems[0].message).toContain("event 4 of plan p1 is missing");
  });

  it("names the last event when it is cut from the end, given the plan's recorded head", () => {
    const events = chain(5);
    const head = { planId: "p1", seq: 5, hash: events[4].hash };
    expect(verifyEventChain(events, head)).toEqual([]);
    const problems = verifyEventChain(events.slice(0, 4), head);
    expect(problems).toEqual([expect.objectContaining({ kind: "missing", afterSeq: 4 })]);
    expect(problems[0].message).toContain("event 5 of plan p1 is missing");
  });

  it("catches a forged actor even when the forger recomputes that event's hash", () => {
    const events = chain(4);
    const { id: _id, prevHash: _prev, hash: _hash, ...content } = { ...events[1], actor: { side: "buyer" as const, name: "Dana" } };
    const forged = { ...events[1], ...content, hash: eventHash(events[1].prevHash, content) };
    events[1] = forged;
    expect(verifyEventChain(events)).toEqual([expect.objectContaining({ kind: "relinked", eventId: "e3", seq: 3 })]);
  });
});
