"""Vektis EI files for district nursing: the AW319 declaration and its AW320 return message.

Everything here is built from one table of record layouts (`layout.py`): the writer fills
records from it, the validator checks every field of a file against it, and the return-file
parser reads the insurer's answer with it. Code lists are data too (`codes.py`).
"""
