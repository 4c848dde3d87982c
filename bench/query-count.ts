import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";

/**
 * Counts the statements a Kysely instance sends (`db.withPlugin(counter)`): every query builder
 * and every raw `sql` template goes through transformQuery once per execution. Transaction
 * control (begin/commit) is the driver's and is not counted.
 */
export class QueryCounter implements KyselyPlugin {
  readonly statements: string[] = [];

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    this.statements.push(describeNode(node));
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }

  get count() {
    return this.statements.length;
  }

  reset() {
    this.statements.length = 0;
  }

  /** How many statements `run` sends, and which kinds. */
  async measure<T>(run: () => Promise<T>): Promise<{ value: T; count: number; kinds: string[] }> {
    const start = this.statements.length;
    const value = await run();
    const kinds = this.statements.slice(start);
    return { value, count: kinds.length, kinds };
  }
}

function describeNode(node: RootOperationNode): string {
  switch (node.kind) {
    case "SelectQueryNode":
      return "select";
    case "InsertQueryNode":
      return "insert";
    case "UpdateQueryNode":
      return "update";
    case "DeleteQueryNode":
      return "delete";
    case "RawNode":
      return "raw";
    default:
      return node.kind;
  }
}
