"""The month in the books: vouchers for the accounting software, journals, and month-end close.

Above ``finance.month`` (a month's result) and below the CLI; it never imports the reports,
alerts or the CLI.

- ``accounts``: ``rules/accounts.toml`` and its presets (小企业会计准则, 企业会计准则);
- ``postings``: ledger rows and allocated costs as pairs between two accounts;
- ``vouchers``: pairs as numbered, balanced vouchers (VAT split out, exchange differences);
- ``vat``: the ``[tax]`` settings the books need;
- ``layouts``: voucher-import workbooks (金蝶 KIS, K/3 WISE, 用友 U8) laid out by data files;
- ``journals``: beancount and hledger;
- ``export``: ``finance export books``;
- ``close``: ``finance close`` and ``finance reopen`` (the records live in
  ``finance.store.closing``).
"""
