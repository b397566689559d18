"""One reader per input kind (text, HTML/MHTML, BagIt), feeding the same import pipeline."""
