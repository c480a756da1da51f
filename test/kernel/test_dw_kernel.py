"""jupyter_kernel_test's conformance suite against the `dw` kernelspec (TypeScript (dw)).

Run from the repository root with the project's Python environment, after `npm run setup`:

    .venv/bin/python test/kernel/test_dw_kernel.py -v

(`python -m unittest test/kernel/test_dw_kernel.py` does not work: the path becomes the module
name `test.kernel...`, and Python's own `test` package shadows this folder.)

test/kernel/jupyterKernelTest.integration.test.ts runs it as part of `npm test`.
"""
import unittest

import jupyter_kernel_test


class DwKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "dw"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("error")'

    # A TypeScript error and a thrown exception each give exactly one `error` output.
    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "const greeting: string = 'hi'; greeting.toUpperCase()", "result": "HI"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]

    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>dw</b>")', "mime": "text/html"},
        {"code": "%dw help", "mime": "text/plain"},
    ]

    completion_samples = [
        {"text": "dw.loadD", "matches": ["loadDataset"]},
        {"text": "Math.fl", "matches": ["floor"]},
        {"text": "%dw load_d", "matches": ["load_dataset"]},
        {"text": "%dw train_model --tar", "matches": ["--target"]},
    ]

    complete_code_samples = ["1 + 2", "function f() { return 1; }", "%dw help", "%dw load_dataset data/x.csv --as x\nx"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["}", "%dw --as"]

    code_inspect_sample = "Math.max"


if __name__ == "__main__":
    unittest.main()
