import { describe, expect, it } from "vitest";
import { FlushBatches } from "~/infra/flush-batches.server";

describe("FlushBatches", () => {
  it("passes React's pieces on as one per flush, and the rest at the end", async () => {
    const stream = new FlushBatches();
    const out: string[] = [];
    stream.on("data", (chunk: Buffer) => out.push(chunk.toString()));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    stream.write("<html>");
    stream.write("<head>");
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toEqual([]);
    stream.flush();
    stream.write("<body>");
    stream.flush();
    stream.flush();
    stream.write("</body>");
    stream.end("</html>");
    await ended;
    expect(out).toEqual(["<html><head>", "<body>", "</body></html>"]);
  });
});
