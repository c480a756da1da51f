"""jupyter_kernel_test's conformance suite against the `dw` kernelspec (TypeScript (dw)).

Run from the repository root with the project's Python environment, after `npm run setup`:

    .venv/bin/python test/kernel/test_dw_kernel.py -v

(`python -m unittest test/kernel/test_dw_kernel.py` does not work: the path becomes the module
name `test.kernel...`, and Python's own `test` package shadows this folder.)

test/kernel/jupyterKernelTest.integration.test.ts runs it as part of `npm test`.

Every test of the suite runs, except those in EXPECTED_SKIPS, each with the reason; any other
skip (a sample left out, a history operation not supported) fails the run.
"""
import sys
import unittest

import jupyter_kernel_test

# The suite's tests this kernel skips, and why. The run fails if any other test, or any subtest,
# is skipped, and if one of these is not.
EXPECTED_SKIPS = {
    "test_pager": "the kernel has no pager: %dw help shows as display_data and a tool's help "
    "answers inspect_request; no execute_reply carries a 'page' payload",
    "test_clear_output": "the kernel never sends clear_output: a long tool call's progress line "
    "is replaced in place with update_display_data",
}


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

    # history_request: the cells executed since the kernel started (kernel/history.ts).
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1 + *"

    @unittest.skip(EXPECTED_SKIPS["test_pager"])
    def test_pager(self) -> None:
        pass

    @unittest.skip(EXPECTED_SKIPS["test_clear_output"])
    def test_clear_output(self) -> None:
        pass


def skipped_names(result: unittest.TestResult) -> list[str]:
    """Each skip as its test's name, with the subtest's parameters when a subtest was skipped."""
    names = []
    for test, _reason in result.skipped:
        case = getattr(test, "test_case", test)
        params = test._subDescription() if case is not test else ""
        names.append(case._testMethodName + (f" {params}" if params else ""))
    return names


if __name__ == "__main__":
    program = unittest.main(exit=False)
    if not program.result.wasSuccessful():
        sys.exit(1)
    skipped = skipped_names(program.result)
    unexpected = sorted(set(skipped) - set(EXPECTED_SKIPS))
    missing = sorted(set(EXPECTED_SKIPS) - set(skipped))
    if unexpected or missing:
        print(f"dw: skips differ from EXPECTED_SKIPS: unexpected {unexpected}, not skipped {missing}", file=sys.stderr)
        sys.exit(1)
    print(f"dw: skipped only as listed in EXPECTED_SKIPS: {', '.join(sorted(skipped))}", file=sys.stderr)
