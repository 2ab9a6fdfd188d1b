"""The reader's panes: the paper list, the abstract, the search bar, the header and the key hints."""

from reader.widgets.abstract_pane import AbstractPane
from reader.widgets.key_hints import KeyHints
from reader.widgets.paper_list import PaperList
from reader.widgets.search_bar import SearchBar
from reader.widgets.status_line import Status, StatusLine
from reader.widgets.view_tabs import ViewTabs

__all__ = ["AbstractPane", "KeyHints", "PaperList", "SearchBar", "Status", "StatusLine", "ViewTabs"]
