"""Every code block of README.md and docs/**/*.md, run or checked (issue 24).

How a page's blocks are read and checked (the kinds and markers: pages.py; the transcript
notation: transcript.py; what each kind runs: sandbox.py), in short:

- A block's kind is its fence's language, refined by an HTML comment on the line above the
  fence, invisible on the site: `<!-- docs: sshd continues -->`. Marker words: `sshd`,
  `parse`, `continues`, `pytest`, `file NAME`, `config`, `tree`, `unconfigured`
  (`pages.MARKERS`). A block of a kind the harness does not know, an indented code block,
  or an unknown marker word fails, naming FILE:LINE.
- A page is one sandbox: one emulator (with `--sshd` when a block asks for it), one fresh
  HOME that is also the working folder, its blocks run top to bottom (`sandbox.py`).
- `python` runs as a program; `console` is a transcript replayed command by command, its
  output compared in the notation of `transcript.py` (`...` for what varies); `bash` runs
  as a script; `yaml` is a task file read by the task-file reader; `json`, `toml`, `ini`
  are parsed (`config`: an ~/.eater read by `load_config`); `text` needs a marker (`tree`).
"""
