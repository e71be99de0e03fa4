"""Running one cell through a jupyter_client KernelClient and reading what it showed.

Import it after putting this directory on sys.path.
"""


def run_cell(kc, code, timeout=300):
    """Runs `code`; returns the reply's status and the cell's text: its stream output, then its
    result's text/plain, then an error's evalue."""
    msgs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=msgs.append)
    text = "".join(m["content"].get("text", "") for m in msgs if m["msg_type"] == "stream")
    for m in msgs:
        if m["msg_type"] == "execute_result":
            text += m["content"]["data"]["text/plain"]
        if m["msg_type"] == "error":
            text += m["content"]["evalue"]
    return reply["content"]["status"], text
