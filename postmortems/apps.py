from django.apps import AppConfig


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = "Postmortems"

    def ready(self) -> None:
        from django.utils.autoreload import autoreload_started

        autoreload_started.connect(_watch_checker_sources)


def _watch_checker_sources(sender, **kwargs) -> None:
    """runserver reloads when a checker source changes even while the compiled checker runs:
    its modules' files are then extensions under build/native/, which an edit never touches."""
    from pathlib import Path

    sender.watch_dir(Path(__file__).resolve().parent / "specificity", "*.py")
