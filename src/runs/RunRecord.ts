/** `run.json` at the root of a run commit's tree. */
export interface RunRecord {
  run_id: string;
  tool: string;
  created_at: string;
  algorithm: string;
  task: string;
  target: string;
  features: string[];
  parameters: Record<string, unknown>;
  metrics: Record<string, number>;
  timings: Record<string, number>;
  data: {
    dataset_id: string;
    source: string;
    sha256: string;
    size_bytes: number;
    rows: number;
    rows_used: number;
    columns: { name: string; type: string; nulls: number }[];
  };
  origin: { via: string; notebook_path?: string; has_cell: boolean };
}
