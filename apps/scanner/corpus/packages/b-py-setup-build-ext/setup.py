from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithGrammar(build_py):
    def run(self):
        self.compile_grammar()
        super().run()

    def compile_grammar(self):
        pass


setup(name="mcp-server-sqlparse", version="0.3.0", cmdclass={"build_py": BuildWithGrammar})
