// The environment every Jupyter process of this project runs in (npm start, the tests).
// It keeps the user's own Jupyter set-up out: a kernelspec or labextension in ~/.local/share/jupyter,
// a broken ~/.jupyter/jupyter_server_config.py or a JUPYTER_PATH entry would otherwise shadow or
// break ours. The venv's share/jupyter is found through sys.prefix, so nothing else is needed.
import { join } from "node:path";

export function jupyterEnv(repo, base = process.env) {
  const env = { ...base };
  delete env.JUPYTER_PATH; // entries here would come before the venv's own kernels and extensions
  delete env.JUPYTER_CONFIG_PATH;
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  env.JUPYTER_CONFIG_DIR = join(repo, ".venv", "etc", "jupyter-user");
  env.JUPYTER_DATA_DIR = join(repo, ".venv", "share", "jupyter-user");
  env.JUPYTER_PREFER_ENV_PATH = "1";
  env.PYTHONNOUSERSITE = "1";
  env.PATH = `${join(repo, ".venv", "bin")}:${base.PATH ?? "/usr/bin:/bin"}`;
  return env;
}
