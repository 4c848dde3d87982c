import { describe, expect, it } from "vitest";
import { describeActivity } from "~/domain/activity";
import { describeNewDevice, newDeviceEvent, sameName } from "~/domain/buyer-devices";

const opened = { link: { id: "link-1" }, stakeholder: { name: "Dana Lee", email: "dana@acme.example" } };

describe("a link opened on a new device", () => {
  it("treats the same name typed differently as the same person", () => {
    expect(sameName("dana  lee ", "Dana Lee")).toBe(true);
    expect(sameName("Dana Leigh", "Dana Lee")).toBe(false);
  });

  it("logs the name and email typed and the link's owner", () => {
    const event = newDeviceEvent(opened, { name: "Sam Ng", email: "sam@acme.example" });
    expect(event).toMatchObject({ action: "share_link.new_device", entityType: "share_link", entityId: "link-1" });
    expect(event.changes.name.after).toBe("Sam Ng");
    expect(event.changes.email.after).toBe("sam@acme.example");
    expect(event.changes.link_owner.after).toBe("Dana Lee");
  });

  it("says who opened it, naming the link's owner when the name typed is someone else's", () => {
    const own = newDeviceEvent(opened, { name: "Dana Lee", email: "dana@acme.example" });
    expect(describeNewDevice("Dana Lee (buyer)", own.changes)).toBe("Dana Lee (buyer) opened the plan on a new device");
    const forwarded = newDeviceEvent(opened, { name: "Sam Ng", email: "sam@acme.example" });
    expect(
      describeActivity({ action: forwarded.action, actorName: "Sam Ng", actorSide: "buyer", subject: null, changes: forwarded.changes, reason: null }),
    ).toBe("Dana Lee's link was opened on a new device as Sam Ng (sam@acme.example)");
  });
});
