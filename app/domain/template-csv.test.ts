import { describe, expect, it } from "vitest";
import { EXAMPLE_TEMPLATE_CSV, parseTemplateCsv } from "~/domain/template-csv";
import { splitDependsOn, type TemplateMilestoneInput, type TemplateRowError } from "~/domain/template-rows";

/** Parses a CSV expected to be valid and returns its milestones. */
function milestonesOf(csv: string): TemplateMilestoneInput[] {
  const result = parseTemplateCsv(csv);
  if (!result.ok) throw new Error(`expected a valid CSV, got:\n${result.errors.map((e) => e.message).join("\n")}`);
  return result.milestones;
}

/** Parses a CSV expected to be invalid and returns its errors. */
function errorsOf(csv: string): TemplateRowError[] {
  const result = parseTemplateCsv(csv);
  if (result.ok) throw new Error("expected errors, got a valid template");
  return result.errors;
}

const messages = (csv: string) => errorsOf(csv).map((e) => e.message);

describe("parseTemplateCsv: the happy path", () => {
  it("reads the columns a rep keeps, with dependencies by title and by row number", () => {
    const milestones = milestonesOf(
      [
        "Title,Owner side,Duration,Depends on,Lag",
        "Discovery workshop,joint,2,,",
        "Security review,buyer,10,Discovery workshop,0",
        "Legal redlines,joint,8,3,3",
        "Signature,buyer,0,Security review; 4,",
      ].join("\n"),
    );
    expect(milestones).toEqual([
      { key: "2", title: "Discovery workshop", description: "", ownerSide: "joint", durationDays: 2, lagDays: 0, isClose: false, dependsOn: [] },
      { key: "3", title: "Security review", description: "", ownerSide: "buyer", durationDays: 10, lagDays: 0, isClose: false, dependsOn: ["2"] },
      { key: "4", title: "Legal redlines", description: "", ownerSide: "joint", durationDays: 8, lagDays: 3, isClose: false, dependsOn: ["3"] },
      { key: "5", title: "Signature", description: "", ownerSide: "buyer", durationDays: 0, lagDays: 0, isClose: false, dependsOn: ["3", "4"] },
    ]);
  });

  it("accepts the alternative header names, in any order and case, and ignores unknown columns", () => {
    const milestones = milestonesOf(
      [
        "LAG_DAYS, depends_on ,Notes,duration_days,owner_side,TITLE,Description,Close",
        "0,,internal only,1,Seller,Demo,Show the product,",
        "2,Demo,,3,BUYER,Pricing approval,,",
        "0,Pricing approval,,0,buyer,Signature,The signature that dates the deal,yes",
      ].join("\n"),
    );
    expect(milestones.map((m) => [m.title, m.ownerSide, m.durationDays, m.lagDays, m.isClose, m.dependsOn, m.description])).toEqual([
      ["Demo", "seller", 1, 0, false, [], "Show the product"],
      ["Pricing approval", "buyer", 3, 2, false, ["2"], ""],
      ["Signature", "buyer", 0, 0, true, ["3"], "The signature that dates the deal"],
    ]);
  });

  it("accepts 'owner' as the owner side column and 'both' as joint", () => {
    const [m] = milestonesOf("title,owner,duration\nKickoff,both,1");
    expect(m.ownerSide).toBe("joint");
  });

  it("handles RFC 4180 quoting: commas, doubled quotes, line breaks, CRLF and a BOM", () => {
    const csv =
      "\uFEFFtitle,owner side,duration,depends on,lag,description\r\n" +
      '"Legal, security and privacy review",buyer,5,,,"The ""DPA"" and the MSA"\r\n' +
      '"Order form ""signature""",buyer,0,"Legal, security and privacy review",,"Line one\r\nLine two"\r\n';
    const milestones = milestonesOf(csv);
    expect(milestones).toHaveLength(2);
    expect(milestones[0].title).toBe("Legal, security and privacy review");
    expect(milestones[0].description).toBe('The "DPA" and the MSA');
    expect(milestones[1].title).toBe('Order form "signature"');
    expect(milestones[1].dependsOn).toEqual(["2"]);
    expect(milestones[1].description).toBe("Line one\nLine two");
  });

  it("splits depends on at ; and |, and a list of row numbers at commas", () => {
    const milestones = milestonesOf(
      ["title,owner side,duration,depends on", "A,seller,1,", "B,seller,1,", "C,seller,1,", "D,seller,1,2|B ; #4", 'E,seller,1,"2, 3"'].join("\n"),
    );
    expect(milestones[3].dependsOn).toEqual(["2", "3", "4"]);
    expect(milestones[4].dependsOn).toEqual(["2", "3"]);
    expect(splitDependsOn("Legal, security review; 2")).toEqual(["Legal, security review", "2"]);
  });

  it("matches titles without regard to case or extra spaces, and drops repeated dependencies", () => {
    const milestones = milestonesOf(
      ["title,owner side,duration,depends on", "Security  Review,buyer,1,", "Legal,joint,1,security review;2;SECURITY REVIEW"].join("\n"),
    );
    expect(milestones[0].title).toBe("Security Review");
    expect(milestones[1].dependsOn).toEqual(["2"]);
  });

  it("accepts '5 days', an empty lag, 0-day events and the close column's yes/x/true", () => {
    const milestones = milestonesOf(["title,owner side,duration,lag,close", "A,seller,5 days,,", "B,buyer,0,2d,x"].join("\n"));
    expect(milestones.map((m) => [m.durationDays, m.lagDays, m.isClose])).toEqual([
      [5, 0, false],
      [0, 2, true],
    ]);
  });

  it("skips blank rows but keeps row numbers as the file shows them", () => {
    const milestones = milestonesOf(["title,owner side,duration,depends on", "A,seller,1,", ",,,", "", "B,buyer,2,2", "C,joint,1,5", "", ""].join("\n"));
    // As a spreadsheet numbers them: header 1, A 2, blank 3 and 4, B 5, C 6.
    expect(milestones.map((m) => [m.key, m.title, m.dependsOn])).toEqual([
      ["2", "A", []],
      ["5", "B", ["2"]],
      ["6", "C", ["5"]],
    ]);
  });

  it("reads tab-separated text pasted from a spreadsheet", () => {
    const milestones = milestonesOf("Title\tOwner side\tDuration\tDepends on\nDemo, live\tseller\t1\t\nPricing\tbuyer\t3\tDemo, live");
    expect(milestones.map((m) => [m.title, m.dependsOn])).toEqual([
      ["Demo, live", []],
      ["Pricing", ["2"]],
    ]);
  });

  it("parses the example shown on the import page", () => {
    const milestones = milestonesOf(EXAMPLE_TEMPLATE_CSV);
    expect(milestones).toHaveLength(5);
    expect(milestones.filter((m) => m.isClose).map((m) => m.title)).toEqual(["Order form signature"]);
  });

  it("accepts exactly 200 milestones, titles of 200 characters and 1000-day durations", () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${"x".repeat(197)}${String(i).padStart(3, "0")},seller,1000,${i > 0 ? i + 1 : ""},1000`);
    const milestones = milestonesOf(["title,owner side,duration,depends on,lag", ...rows].join("\n"));
    expect(milestones).toHaveLength(200);
    expect(milestones[199].dependsOn).toEqual(["200"]);
  });
});

describe("parseTemplateCsv: every kind of error, with a clear message", () => {
  const header = "title,owner side,duration,depends on,lag";

  it("a duration that is not a whole number of working days", () => {
    expect(messages([header, "A,seller,1,,", "B,seller,1,,", "C,seller,1,,", "D,buyer,two,,"].join("\n"))).toEqual([
      'Row 5: duration must be a whole number of working days (got "two")',
    ]);
    expect(messages([header, "A,seller,2.5,,", "B,seller,-1,,", "C,seller,1001,,", "D,seller,,,"].join("\n"))).toEqual([
      'Row 2: duration must be a whole number of working days (got "2.5")',
      'Row 3: duration can\'t be negative (got "-1")',
      "Row 4: duration can be at most 1000 working days (got 1001)",
      "Row 5: duration is required: a whole number of working days (0 for an event such as a signature)",
    ]);
  });

  it("a bad lag", () => {
    expect(messages([header, "A,seller,1,,soon", "B,seller,1,,-2", "C,seller,1,,5000"].join("\n"))).toEqual([
      'Row 2: lag must be a whole number of working days (got "soon")',
      'Row 3: lag can\'t be negative (got "-2")',
      "Row 4: lag can be at most 1000 working days (got 5000)",
    ]);
  });

  it("a dependency on a title that is not in the file", () => {
    const errors = errorsOf(
      [header, "A,seller,1,,", "B,seller,1,,", "C,seller,1,,", "D,seller,1,,", "E,seller,1,,", "Signature,buyer,0,Legal review,"].join("\n"),
    );
    expect(errors).toEqual([
      {
        row: 7,
        column: "depends on",
        field: "dependsOn",
        message: 'Row 7: depends on "Legal review", which is not a title in this file',
        problem: 'depends on "Legal review", which is not a title in this file',
      },
    ]);
  });

  it("a dependency on a row that does not exist, an empty row, itself, or an ambiguous title", () => {
    expect(messages([header, "Kickoff,seller,1,9,", ",,,,", "Kickoff,seller,1,3,", "D,seller,1,5,", "E,seller,1,Kickoff,"].join("\n"))).toEqual([
      "Row 2: depends on row 9, but the last row is 6",
      "Row 4: depends on row 3, which is empty",
      "Row 5: a milestone can't depend on itself",
      'Row 6: depends on "Kickoff", which is the title of rows 2 and 4; use the row number instead',
    ]);
  });

  it("a dependency on the header row", () => {
    expect(messages([header, "A,seller,1,1,"].join("\n"))).toEqual(["Row 2: depends on row 1, which is the header; milestones start at row 2"]);
  });

  it("a missing or too long title, a bad owner side, a bad close value", () => {
    expect(
      messages([`${header},close`, ",seller,1,,,", `${"T".repeat(201)},seller,1,,,`, "C,customer success,1,,,", "D,,1,,,", "E,buyer,0,,,maybe"].join("\n")),
    ).toEqual([
      "Row 2: title is required",
      "Row 3: title is 201 characters long; the limit is 200",
      'Row 4: owner side must be buyer, seller or joint (got "customer success")',
      "Row 5: owner side is required: buyer, seller or joint",
      'Row 6: close must be yes or no (got "maybe")',
    ]);
  });

  it("keeps the column as the file names it", () => {
    const [error] = errorsOf("Title,Owner_Side,Duration_Days\nA,seller,soon");
    expect(error).toMatchObject({ row: 2, column: "Duration_Days", field: "duration" });
    expect(error.message).toBe('Row 2: duration must be a whole number of working days (got "soon")');
  });

  it("a cycle, named by title in order", () => {
    const errors = errorsOf([header, "Discovery,joint,1,,", "Security review,buyer,5,Legal,", "Legal,joint,5,Security review;Discovery,"].join("\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0].row).toBe(3);
    expect(errors[0].field).toBe("dependsOn");
    expect(errors[0].message).toBe("Row 3: the dependencies form a cycle: Security review → Legal → Security review. Remove one of these dependencies");
  });

  it("a longer cycle, reported with the other rows' errors in one go", () => {
    const errors = errorsOf([header, "A,seller,1,C,", "B,seller,1,A,", "C,seller,1,B,", "D,seller,one,,"].join("\n"));
    expect(errors.map((e) => e.message)).toEqual([
      "Row 2: the dependencies form a cycle: A → B → C → A. Remove one of these dependencies",
      'Row 5: duration must be a whole number of working days (got "one")',
    ]);
  });

  it("reports a cycle through a row that has another problem too", () => {
    expect(messages([header, "Security review,buyer,10,3,", "Legal,joint,two,2,"].join("\n"))).toEqual([
      "Row 2: the dependencies form a cycle: Security review → Legal → Security review. Remove one of these dependencies",
      'Row 3: duration must be a whole number of working days (got "two")',
    ]);
  });

  it("names duplicated titles in a cycle by row", () => {
    const [error] = errorsOf([header, "Review,seller,1,3,", "Review,seller,1,2,"].join("\n"));
    expect(error.message).toContain("Review (row 2) → Review (row 3) → Review (row 2)");
  });

  it("two close milestones", () => {
    const errors = errorsOf([`${header},close`, "Signature,buyer,0,,,yes", "Countersignature,seller,0,2,,yes"].join("\n"));
    expect(errors).toEqual([
      expect.objectContaining({
        row: 3,
        field: "close",
        message: 'Row 3: rows 2 and 3 ("Signature" and "Countersignature") are both marked as the close milestone; only one milestone can be the signature',
      }),
    ]);
  });

  it("two close milestones and a cycle at once", () => {
    const errors = errorsOf([`${header},close`, "A,buyer,0,B,,yes", "B,seller,0,A,,yes"].join("\n"));
    expect(errors.map((e) => e.field)).toEqual(["dependsOn", "close"]);
    expect(errors[0].message).toContain("A → B → A");
  });

  it("a missing column, a duplicated column, semicolon-separated files", () => {
    expect(messages("name,owner\nA,seller")).toEqual(['The header row needs a column named "duration" (found "name" and "owner").']);
    expect(messages("task,who,days\nA,seller,1")).toEqual(['The header row needs columns named "title" and "owner side" (found "task", "who" and "days").']);
    expect(messages("title,owner side,duration,days\nA,seller,1,1")).toEqual(['The header has two duration columns ("duration" and "days"); keep one.']);
    expect(messages("title;owner side;duration\nA;seller;1")[0]).toContain("separated by semicolons");
  });

  it("an empty file or a header without rows", () => {
    expect(messages("")).toEqual(['The file is empty. The first row must name the columns, e.g. "title, owner side, duration, depends on, lag".']);
    expect(messages(" \r\n ")).toHaveLength(1);
    expect(messages(`${header}\r\n,,,,\r\n`)).toEqual(["The file has a header row but no milestones under it."]);
  });

  it("more than 200 rows", () => {
    const rows = Array.from({ length: 201 }, (_, i) => `M${i},seller,1,,`);
    expect(messages([header, ...rows].join("\n"))).toEqual(["The file has 201 milestone rows; a template can hold at most 200."]);
  });

  it("an unclosed quote and text after a closing quote", () => {
    expect(messages(`${header}\nA,seller,1,,\n"B,seller,1,,\nC,seller,1,,`)).toEqual([
      'Row 3: a quoted value that starts on line 3 is never closed: a closing " is missing',
    ]);
    expect(messages(`${header}\n"A"B,seller,1,,`)).toEqual([
      'Row 2: there is text after a closing quote on line 2. Put the whole value in quotes and write any quote inside it twice ("")',
    ]);
  });

  it("lists at most 100 problems and counts the rest", () => {
    const rows = Array.from({ length: 150 }, (_, i) => `M${i},seller,soon,,`);
    const errors = messages([header, ...rows].join("\n"));
    expect(errors).toHaveLength(101);
    expect(errors[100]).toBe("…and 50 more problems not listed here. Fix these first and try again.");
  });
});
