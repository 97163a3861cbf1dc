import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))   # the package, from the checkout
SHARED = os.environ.get("QSIM_SHARED_DIR",
                        os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared")))


def shared(rel):
    path = os.path.join(SHARED, rel)
    if not os.path.exists(path):
        raise FileNotFoundError("missing shared file %s (set QSIM_SHARED_DIR)" % path)
    return path
