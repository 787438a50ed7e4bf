"""One spider per configured source, named by its id; each states only its site's particulars."""
