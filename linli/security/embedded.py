"""Services ``linli serve`` starts in its own process in the embedded default."""


def start():
    from .mqtt import start_in_thread

    start_in_thread()
