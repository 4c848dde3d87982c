import path from "node:path";
import { sql, type Kysely } from "kysely";
import ts from "typescript";

/*
 * db/types.ts is written by hand (it speaks the domain's words: Role, OwnerSide, Json<T>…), so
 * nothing regenerates it when a migration changes the schema. This compares it with what the
 * migrations really built: every table, column, nullability, type family and whether an insert
 * may leave the column out. kysely-codegen would lose the domain types and the insert/update
 * rules the file spells out (ADR 023).
 */

export type Family = "string" | "number" | "boolean" | "Date" | "json" | "bytes";

export interface ColumnShape {
  family: Family | `mixed(${string})`;
  nullable: boolean;
  /** The database fills it in (a default, an identity, or NULL): an insert may leave it out. */
  optionalOnInsert: boolean;
}

export type SchemaShape = Record<string, Record<string, ColumnShape>>;

// Only what the app reads: the migrator's own tables are Kysely's business.
const IGNORED_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);

// By udt_name; the drivers' parsers (app/infra/db.server.ts) decide the family: date → ISO string,
// int8 and numeric → number.
const PG_FAMILY: Record<string, Family> = {
  uuid: "string",
  text: "string",
  varchar: "string",
  bpchar: "string",
  citext: "string",
  date: "string",
  int2: "number",
  int4: "number",
  int8: "number",
  numeric: "number",
  float4: "number",
  float8: "number",
  bool: "boolean",
  timestamptz: "Date",
  timestamp: "Date",
  jsonb: "json",
  json: "json",
  bytea: "bytes",
};

export async function schemaFromDatabase<DB>(db: Kysely<DB>): Promise<SchemaShape> {
  const { rows } = await sql<{
    table_name: string;
    column_name: string;
    udt_name: string;
    is_nullable: "YES" | "NO";
    column_default: string | null;
    is_identity: "YES" | "NO";
  }>`select table_name, column_name, udt_name, is_nullable, column_default, is_identity
       from information_schema.columns
      where table_schema = 'public'
        -- Tables only: Citus puts views of its own (citus_tables, citus_schemas) in public.
        and table_name in (select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE')
      order by table_name, ordinal_position`.execute(db);
  const shape: SchemaShape = {};
  for (const r of rows) {
    if (IGNORED_TABLES.has(r.table_name)) continue;
    const nullable = r.is_nullable === "YES";
    (shape[r.table_name] ??= {})[r.column_name] = {
      family: PG_FAMILY[r.udt_name] ?? `mixed(${r.udt_name})`,
      nullable,
      optionalOnInsert: nullable || r.column_default !== null || r.is_identity === "YES",
    };
  }
  return shape;
}

const TYPES_FILE = path.resolve(__dirname, "../../db/types.ts");

/** Reads db/types.ts through the TypeScript checker; `source` replaces the file's text (drift tests). */
export function schemaFromTypes(source?: string): SchemaShape {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    skipLibCheck: true,
    // db/types.ts imports the domain's words through the app's one alias (tsconfig.json).
    baseUrl: path.resolve(__dirname, "../.."),
    paths: { "~/*": ["./app/*"] },
  };
  const host = ts.createCompilerHost(options);
  if (source !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) =>
      path.resolve(fileName) === TYPES_FILE ? ts.createSourceFile(fileName, source, languageVersion, true) : getSourceFile(fileName, languageVersion, ...rest);
  }
  const program = ts.createProgram([TYPES_FILE], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(TYPES_FILE);
  if (!file) throw new Error(`cannot read ${TYPES_FILE}`);
  const dbInterface = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "DB");
  if (!dbInterface) throw new Error("db/types.ts has no `interface DB`");

  const shape: SchemaShape = {};
  for (const table of checker.getTypeAtLocation(dbInterface).getProperties()) {
    const tableType = checker.getTypeOfSymbolAtLocation(table, dbInterface);
    const columns: Record<string, ColumnShape> = {};
    for (const column of tableType.getProperties()) {
      const selectTypes = facet(checker, checker.getTypeOfSymbolAtLocation(column, dbInterface), "__select__");
      const insertTypes = facet(checker, checker.getTypeOfSymbolAtLocation(column, dbInterface), "__insert__");
      const nullable = selectTypes.some((t) => t.flags & ts.TypeFlags.Null);
      const families = [
        ...new Set(selectTypes.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).map((t) => familyOf(checker, t))),
      ].sort();
      columns[column.name] = {
        family: families.length === 1 ? (families[0] as Family) : `mixed(${families.join("|")})`,
        nullable,
        // Kysely makes an insert column optional when its insert type admits undefined or null;
        // `never` (an identity nobody writes) cannot be given at all.
        optionalOnInsert: insertTypes.length === 0 || insertTypes.some((t) => t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Never)),
      };
    }
    shape[table.name] = columns;
  }
  return shape;
}

/** The union members of a column's select (or insert) type: Kysely's ColumnType keeps them in `__select__`/`__insert__`. */
function facet(checker: ts.TypeChecker, type: ts.Type, key: "__select__" | "__insert__"): ts.Type[] {
  const members = type.isUnion() ? type.types : [type];
  return members.flatMap((member) => {
    const prop = member.getProperty(key);
    if (!prop) return [member];
    const inner = checker.getTypeOfSymbol(prop);
    return inner.isUnion() ? inner.types : [inner];
  });
}

function familyOf(checker: ts.TypeChecker, type: ts.Type): string {
  if (type.flags & ts.TypeFlags.StringLike) return "string";
  if (type.flags & ts.TypeFlags.NumberLike) return "number";
  if (type.flags & ts.TypeFlags.BooleanLike) return "boolean";
  if (type.getSymbol()?.name === "Date") return "Date";
  if (type.getSymbol()?.name === "Uint8Array") return "bytes";
  if (type.flags & ts.TypeFlags.Object) return "json";
  return checker.typeToString(type);
}

/** Every difference, one line each, as "table.column: what"; empty when the two agree. */
export function schemaDifferences(database: SchemaShape, types: SchemaShape): string[] {
  const out: string[] = [];
  for (const table of Object.keys(database)) {
    if (!types[table]) out.push(`${table}: table missing from db/types.ts (DB interface)`);
  }
  for (const table of Object.keys(types)) {
    if (!database[table]) out.push(`${table}: in db/types.ts but no such table after the migrations`);
  }
  for (const [table, columns] of Object.entries(database)) {
    const typed = types[table];
    if (!typed) continue;
    for (const [column, db] of Object.entries(columns)) {
      const t = typed[column];
      if (!t) {
        out.push(`${table}.${column}: column missing from db/types.ts`);
        continue;
      }
      if (db.family !== t.family) out.push(`${table}.${column}: database reads as ${db.family}, db/types.ts says ${t.family}`);
      if (db.nullable !== t.nullable)
        out.push(`${table}.${column}: database ${db.nullable ? "allows" : "forbids"} NULL, db/types.ts ${t.nullable ? "allows" : "forbids"} it`);
      if (db.optionalOnInsert !== t.optionalOnInsert) {
        out.push(
          `${table}.${column}: an insert ${db.optionalOnInsert ? "may" : "must"} leave it out of the database, db/types.ts says it ${t.optionalOnInsert ? "may" : "must"} (Generated<…>/ColumnType insert type)`,
        );
      }
    }
    for (const column of Object.keys(typed)) {
      if (!columns[column]) out.push(`${table}.${column}: in db/types.ts but not in the database`);
    }
  }
  return out;
}
