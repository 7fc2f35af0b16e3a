"""`python -m boardpack.records.synth OUT ...`: the `synth` command on its own."""

from .command import synth

if __name__ == "__main__":
    synth(prog_name="python -m boardpack.records.synth")
