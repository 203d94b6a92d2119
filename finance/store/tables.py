"""What lasts: imported files, ledger entries, order lines and headers, returns, unit costs.

Every imported row keeps ``file_id`` and ``source_row`` (traceability) and ``natural_key``
(de-duplication: the same key for the same shop is stored once). Money columns are integer
cents; unit costs are in 1/10,000 of the currency unit (``schema.COST_SCALE``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def _money() -> Field:  # type: ignore[valid-type]
    return Field(default=None, sa_column=Column(BigInteger))


def _when(*, nullable: bool = True) -> Field:  # type: ignore[valid-type]
    """Naive wall-clock time, as the statement wrote it (the platform's local time)."""
    return Field(default=None, sa_column=Column(DateTime(timezone=False), nullable=nullable))


class Imported(SQLModel):
    """What every imported row carries: where it came from, and the key that de-duplicates it."""

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="imported_file.id", index=True)
    source_row: int
    natural_key: str


class ShopRow(Imported):
    platform: str
    shop: str


class ImportedFile(SQLModel, table=True):
    __tablename__ = "imported_file"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    sha256: str = Field(index=True, unique=True)
    format: str
    kind: str
    platform: str
    shop: str | None = None
    encoding: str
    rows_read: int = 0
    rows_added: int = 0
    rows_skipped: int = 0
    first_date: date | None = None
    last_date: date | None = None
    imported_at: datetime = _when(nullable=False)
    archived_as: str | None = None


class LedgerEntry(ShopRow, table=True):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        UniqueConstraint("platform", "shop", "natural_key", name="uq_ledger_key"),
        Index("ix_ledger_month", "month", "platform", "shop"),
    )

    entry_id: str | None = None
    posted_at: datetime = _when(nullable=False)
    month: str
    category: str
    fee_name: str | None = None
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str
    order_id: str | None = Field(default=None, index=True)
    sku: str | None = None
    listing_id: str | None = None
    waybill: str | None = None
    weight_g: int | None = None
    region: str | None = None
    campaign: str | None = None
    quantity: int | None = None
    memo: str | None = None


class OrderLine(ShopRow, table=True):
    __tablename__ = "order_line"
    __table_args__ = (UniqueConstraint("platform", "shop", "natural_key", name="uq_line_key"),)

    order_id: str = Field(index=True)
    line_id: str | None = None
    sku: str | None = None
    listing_id: str | None = None
    title: str | None = None
    quantity: int
    unit_price: int | None = _money()
    line_amount: int | None = _money()
    created_at: datetime | None = _when()
    paid_at: datetime | None = _when()
    status: str | None = None
    waybill: str | None = None
    carrier: str | None = None
    shipped_at: datetime | None = _when()


class OrderHeader(ShopRow, table=True):
    __tablename__ = "order_header"
    __table_args__ = (UniqueConstraint("platform", "shop", "natural_key", name="uq_order_key"),)

    order_id: str = Field(index=True)
    amount: int | None = _money()
    created_at: datetime | None = _when()
    paid_at: datetime | None = _when()
    status: str | None = None
    title: str | None = None
    waybill: str | None = None
    carrier: str | None = None


class ReturnLine(ShopRow, table=True):
    __tablename__ = "return_line"
    __table_args__ = (UniqueConstraint("platform", "shop", "natural_key", name="uq_return_key"),)

    order_id: str = Field(index=True)
    refund_id: str | None = None
    sku: str | None = None
    listing_id: str | None = None
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    quantity: int | None = None
    goods_returned: bool = False
    unsellable: bool = False
    completed_at: datetime | None = _when()
    status: str | None = None


class UnitCost(Imported, table=True):
    __tablename__ = "unit_cost"
    __table_args__ = (UniqueConstraint("natural_key", name="uq_cost_key"),)

    sku: str = Field(index=True)
    unit_cost: int = Field(sa_column=Column(BigInteger, nullable=False))
    effective_from: date
    currency: str
    weight_g: int | None = None
    vat_rate: int | None = None  # 1/10,000: 13 % -> 1300


class CampaignSku(Imported, table=True):
    __tablename__ = "campaign_sku"
    __table_args__ = (UniqueConstraint("natural_key", name="uq_campaign_key"),)

    platform: str
    campaign: str = Field(index=True)
    sku: str


TABLES: dict[str, type[SQLModel]] = {
    "ledger": LedgerEntry,
    "order_lines": OrderLine,
    "orders": OrderHeader,
    "returns": ReturnLine,
    "unit_costs": UnitCost,
    "campaign_skus": CampaignSku,
}
"""The table each rule kind is stored in."""


# --- reconciliation
class BankLine(Imported, table=True):
    """A line of the seller's bank statement (money in from platform payouts, money out)."""

    __tablename__ = "bank_line"
    __table_args__ = (UniqueConstraint("natural_key", name="uq_bank_key"),)

    platform: str
    account: str | None = None
    entry_id: str | None = None
    booked_at: datetime = _when(nullable=False)
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str
    counterparty: str | None = None
    memo: str | None = None


class ReconException(SQLModel, table=True):
    """One reconciliation finding, kept across runs so its status can change.

    ``ident`` identifies the same finding in a later run (kind + what it is about); ``status`` is
    ``new`` the first run it appears, ``open`` while later runs still find it, ``resolved`` once
    a run no longer finds it (a later statement cleared it).
    """

    __tablename__ = "recon_exception"
    __table_args__ = (UniqueConstraint("ident", name="uq_recon_ident"),)

    id: int | None = Field(default=None, primary_key=True)
    ident: str
    kind: str = Field(index=True)
    platform: str
    shop: str
    order_id: str | None = None
    sku: str | None = None
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    age_days: int | None = None
    detail: str
    detail_zh: str
    sources: str
    status: str = Field(index=True)
    first_month: str
    last_month: str
    resolved_month: str | None = None


TABLES["bank_lines"] = BankLine


# --- cross-border: exchange rates to the base currency (kind fx_rates)
class FxRate(Imported, table=True):
    __tablename__ = "fx_rate"
    __table_args__ = (UniqueConstraint("natural_key", name="uq_fx_rate_key"),)

    date: date
    currency: str = Field(index=True)
    rate: int = Field(sa_column=Column(BigInteger, nullable=False))


TABLES["fx_rates"] = FxRate


# --- alerts
class AlertRecord(SQLModel, table=True):
    """The alerts of a month as last evaluated, and when each was first and last seen."""

    __tablename__ = "alert_record"
    __table_args__ = (UniqueConstraint("month", "key", name="uq_alert_month_key"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)
    key: str
    rule: str
    severity: str
    platform: str | None = None
    shop: str | None = None
    sku: str | None = None
    figure: str | None = None
    threshold: str | None = None
    amount: int | None = _money()
    message: str | None = None
    first_seen: datetime = _when(nullable=False)
    last_seen: datetime = _when(nullable=False)


class DigestSent(SQLModel, table=True):
    """A digest that reached the mail server (a dry run or a failed send is not recorded)."""

    __tablename__ = "digest_sent"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)
    sent_at: datetime = _when(nullable=False)
    recipients: str
    subject: str
    new: int = 0
    persisting: int = 0
    cleared: int = 0


class DigestAlert(SQLModel, table=True):
    """Each alert a digest carried, and whether it was sent as new or persisting."""

    __tablename__ = "digest_alert"

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(foreign_key="digest_sent.id", index=True)
    key: str = Field(index=True)
    state: str  # new | persisting
    rule: str
    severity: str
    platform: str | None = None
    shop: str | None = None
    sku: str | None = None
    figure: str | None = None


class RobotPost(SQLModel, table=True):
    """A digest a group robot (企业微信, 钉钉, 飞书) accepted; ``robot`` names it by platform and
    a digest of its webhook address (the address itself, which holds its key, is never stored)."""

    __tablename__ = "robot_post"

    id: int | None = Field(default=None, primary_key=True)
    robot: str = Field(index=True)
    month: str = Field(index=True)
    posted_at: datetime = _when(nullable=False)
    new: int = 0
    persisting: int = 0


class RobotAlert(SQLModel, table=True):
    """Each alert a robot's post carried: the same alert is never posted to that robot again."""

    __tablename__ = "robot_alert"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="robot_post.id", index=True)
    key: str = Field(index=True)
    rule: str
    severity: str
    platform: str | None = None
    shop: str | None = None
    sku: str | None = None
    figure: str | None = None


class Claim(SQLModel, table=True):
    """A lease one process holds (a file being imported, a scheduled digest being sent): the
    primary key makes a second claim of the same name fail, on SQLite and PostgreSQL alike."""

    __tablename__ = "claim"

    name: str = Field(primary_key=True)
    holder: str
    claimed_at: datetime = _when(nullable=False)


class StoreGeneration(SQLModel, table=True):
    """One row: a number every transaction that writes imported rows raises, and a token made
    when the database was. Together they say whether a columnar copy of a table
    (``finance.store.columns``) was taken from the rows the database holds now."""

    __tablename__ = "store_generation"

    id: int = Field(default=1, primary_key=True)
    generation: int = 0
    token: str
