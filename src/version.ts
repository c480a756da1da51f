/** dw's version, reported by `dw --version`, `/version` and kernel_info. Kept equal to package.json by a test. */
export const DW_VERSION = "0.1.0";
