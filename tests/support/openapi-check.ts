import { OPENAPI_DOCUMENT } from "../../app/domain/openapi";

/*
 * A small JSON Schema checker for the subset app/domain/openapi.ts uses (type incl. type arrays,
 * properties/required/additionalProperties, items, enum, format date/date-time/uuid, pattern,
 * minimum/maximum, minLength/maxLength, $ref to components). Enough to hold every API response
 * the tests see to the published document, without a dependency.
 */

type Schema = Record<string, unknown>;
const doc = OPENAPI_DOCUMENT as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>; components: { schemas: Record<string, Schema> } };

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

export function schemaErrors(value: unknown, schema: Schema, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = doc.components.schemas[name];
    if (!target) return [`${at}: unknown $ref ${schema.$ref}`];
    return schemaErrors(value, target, at);
  }
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const ok = types.includes(actual) || (actual === "integer" && types.includes("number"));
    if (!ok) return [`${at}: expected ${types.join("|")}, got ${actual}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (actual === "string") {
    const s = value as string;
    if (typeof schema.format === "string" && FORMATS[schema.format] && !FORMATS[schema.format].test(s)) errors.push(`${at}: "${s}" is not a ${schema.format}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(s)) errors.push(`${at}: "${s}" does not match ${schema.pattern}`);
    if (typeof schema.minLength === "number" && s.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && s.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
  }
  if (actual === "integer" || actual === "number") {
    if (typeof schema.minimum === "number" && (value as number) < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && (value as number) > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (actual === "array" && schema.items) (value as unknown[]).forEach((item, i) => errors.push(...schemaErrors(item, schema.items as Schema, `${at}[${i}]`)));
  if (actual === "object") {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in record)) errors.push(`${at}: missing ${key}`);
    for (const [key, v] of Object.entries(record)) {
      if (properties[key]) errors.push(...schemaErrors(v, properties[key], `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
      else if (typeof schema.additionalProperties === "object") errors.push(...schemaErrors(v, schema.additionalProperties as Schema, `${at}.${key}`));
    }
  }
  return errors;
}

/**
 * Checks a response against the document: its status must be documented for the operation, its
 * content type must be the documented one, and its body must match that schema. Returns the body.
 */
export async function checkResponse(response: Response, pathTemplate: string, method: string): Promise<unknown> {
  const operation = doc.paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${pathTemplate} is not in the OpenAPI document`);
  const documented = operation.responses[String(response.status)];
  const text = await response.text();
  if (!documented) throw new Error(`${method} ${pathTemplate}: status ${response.status} is not documented (${text.slice(0, 200)})`);
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim();
  const content = documented.content?.[type];
  if (!content) throw new Error(`${method} ${pathTemplate} ${response.status}: content type ${type} is not documented`);
  const body: unknown = JSON.parse(text);
  const errors = schemaErrors(body, content.schema);
  if (errors.length) throw new Error(`${method} ${pathTemplate} ${response.status} does not match the document:\n${errors.slice(0, 20).join("\n")}`);
  return body;
}
