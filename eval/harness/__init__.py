"""The evaluation harness: suites in, a scored report (JSON, Markdown, HTML) and pass/fail gates out.

The runner (and with it the bot and its models) is imported lazily by `eval.cli`, so loading a
suite, scoring strings or importing SQuAD stays cheap.
"""

from eval.harness.suite import Suite, SuiteError, SuiteQuestion, load_suite

__all__ = ["Suite", "SuiteError", "SuiteQuestion", "load_suite"]
