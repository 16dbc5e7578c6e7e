"""Material's dialect and theme, shared by the engines that render Material's look (MkDocs + Material, Zensical).

Zensical is Material's successor and reads the same Markdown dialect and templates: keeping them here, beside the
adapters rather than inside one, lets either engine go without the other.
"""
