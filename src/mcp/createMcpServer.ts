import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import type { ToolContext } from "../tools/ToolContext.js";
import { tools } from "../tools/allTools.js";
import { runTool } from "../tools/runTool.js";
import { isDwError } from "../errors/DwError.js";
import { DW_VERSION } from "../version.js";
import { mcpToolList } from "./mcpTools.js";
import { errorResult, successResult } from "./toolCallResult.js";
import { progressNotifier } from "./progressNotifier.js";
import { readDwResource } from "./readDwResource.js";
import { listDwResources } from "./listDwResources.js";
import { RESOURCE_MIME, resourceTemplates } from "./resourceUris.js";
import { PROMPTS, getPrompt } from "./mcpPrompts.js";

/** MCP's code for a resource that does not exist (the specification's, not in the SDK's enum). */
const RESOURCE_NOT_FOUND = -32002;

/** Resources per page of resources/list: a workspace with thousands of runs is listed in pages. */
const PAGE = 500;

/** What every MCP session of one `dw mcp` process shares: the workspace's context, and the calls running. */
export interface McpHost {
  /** The context tool calls start from: the workspace opened at start, the clock, the server starter. */
  context: ToolContext;
  /** Tool calls running, so a stopping process lets them end (interrupted) before it exits. */
  running: Set<Promise<unknown>>;
}

const INSTRUCTIONS =
  "dw is a workspace for ML on tabular data: load_dataset, then suggest_features, select_model, train_model (behind quality, governance and cost gates), register_model, deploy_model (an HTTP endpoint) and detect_model_drift. Records are readable as resources (dw://models, dw://runs, dw://deployments) for citing. A tool error carries dw's code and a hint saying what to do next.";

/**
 * An MCP server for a workspace (one per connection; the stdio and HTTP entry points make them):
 * every tool of allTools.ts with the JSON Schemas of schema/tools/, called through runTool with
 * this call's origin (`via: "mcp"`), its cancel signal and, when the client asked, progress; the
 * registry, runs and gate reports as `dw://` resources; the workflow prompts.
 *
 * @example
 * ```ts
 * const server = createMcpServer({ context: await createToolContext({ cwd }), running: new Set() });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(host: McpHost): Server {
  const server = new Server(
    { name: "dw", title: "dw: ML lifecycle tools", version: DW_VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );
  const listed = mcpToolList();
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: input } = request.params;
    const tool = tools.find((t) => t.name === name);
    // An unknown tool is the client's mistake in the protocol, not a result for its model to read.
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `There is no tool '${name.slice(0, 80)}'. Tools: ${tools.map((t) => t.name).join(", ")}.`);
    const token = request.params._meta?.progressToken;
    const ctx: ToolContext = {
      ...host.context,
      origin: { via: "mcp" },
      signal: extra.signal,
      progress:
        token === undefined
          ? undefined
          : progressNotifier((p) => {
              extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, ...p } }).catch(() => undefined);
            }),
    };
    const call = runTool(tool.name, input ?? {}, ctx);
    host.running.add(call);
    try {
      const result = await call;
      return result.ok ? successResult(result.tool, result.output) : errorResult(result.tool, result.error);
    } finally {
      host.running.delete(call);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
    const all = await listDwResources(host.context.workspace);
    const start = pageStart(request.params?.cursor);
    const next = start + PAGE < all.length ? String(start + PAGE) : undefined;
    return { resources: all.slice(start, start + PAGE), ...(next ? { nextCursor: next } : {}) };
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: resourceTemplates() }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    try {
      const doc = await readDwResource(host.context.workspace, uri);
      return { contents: [{ uri, mimeType: RESOURCE_MIME, text: JSON.stringify(doc, null, 2) }] };
    } catch (e) {
      if (!isDwError(e)) throw e;
      const code = e.code === "NOT_FOUND" ? RESOURCE_NOT_FOUND : e.code === "INVALID_INPUT" ? ErrorCode.InvalidParams : ErrorCode.InternalError;
      throw new McpError(code, `${e.message}${e.hint ? ` ${e.hint}` : ""}`, { uri, error: e.toJSON() });
    }
  });

  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [...PROMPTS] }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => getPrompt(request.params.name, request.params.arguments));
  return server;
}

/** Where a page of resources/list starts: the cursor is the index it names, as this server gave it. */
function pageStart(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor)) throw new McpError(ErrorCode.InvalidParams, "The cursor is not one this server gave: pass nextCursor as it came.");
  return Number(cursor);
}
