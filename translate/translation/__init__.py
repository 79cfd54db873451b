"""Translating and proving: protect what must not change, translate the prose, put it back,
and prove that the result differs from its source in prose only.

The backends (MarianMT through transformers or CTranslate2, and the modelless ones) sit
behind one small interface: a list of strings in, a list of strings out.

May import: `translate.errors`, `translate.files`, `translate.markdown`.
"""
