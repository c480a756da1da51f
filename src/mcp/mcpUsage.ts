/** `dw mcp`'s usage, for `dw --help` and its own errors (apart from the command, so `dw --help` and every other CLI call need not load the MCP SDK). */
export const MCP_USAGE = "dw mcp [--workspace DIR] | dw mcp --http [--port N] [--host HOST] [--workspace DIR]";
