"""Reading reports: articles (text, Markdown, HTML), time expressions, quotes and events.

Each step is its own module or package; ``refuge.services.analysis`` wires them together.
Language-specific parts (word lists, patterns) stay behind the step interfaces so that Russian
can follow English.
"""
