import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { OPENAPI_DOCUMENT } from "~/domain/openapi";

/*
 * Holds every API response the tests see to the published document, with a full JSON Schema
 * 2020-12 validator (OpenAPI 3.1's dialect). Strict: a keyword Ajv does not know is an error when
 * the schema is compiled, so the document cannot say something that no test checks.
 */

type Schema = Record<string, unknown>;
const doc = OPENAPI_DOCUMENT as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
};

// The document's components as one schema of $defs: OpenAPI's `#/components/schemas/X` is not a
// place JSON Schema looks, so references are pointed at it.
const COMPONENTS_ID = "urn:plan-together:openapi";
const COMPONENT_REF = "#/components/schemas/";

function pointRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pointRefs);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_REF)
        ? `${COMPONENTS_ID}#/$defs/${value.slice(COMPONENT_REF.length)}`
        : pointRefs(value),
    ]),
  );
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
// ajv-formats is CommonJS: its default export arrives wrapped under some loaders.
((addFormats as unknown as { default?: typeof addFormats }).default ?? addFormats)(ajv);
ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointRefs(doc.components.schemas) as Record<string, Schema> });

const compiled = new WeakMap<Schema, ValidateFunction>();

function validatorFor(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(pointRefs(schema) as Schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  return `$${error.instancePath.replaceAll("/", ".")}: ${error.message ?? error.keyword}${error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ""}`;
}

export function schemaErrors(value: unknown, schema: Schema): string[] {
  const validate = validatorFor(schema);
  return validate(value) ? [] : (validate.errors ?? []).map(describe);
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
