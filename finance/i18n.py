"""Every text a finance user reads, in zh-CN and English.

Messages are looked up by key; ``text(key, lang, **fields)`` formats one. The catalogue is one
dict so a test can check that every key has both languages and the same placeholders.
"""

from __future__ import annotations

from string import Formatter

import polars as pl

LANGS = ("zh-CN", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- reading and recognising files
    "no_rule_matched": {
        "zh-CN": "无法识别文件“{file}”：没有任何规则与它的表头相符。{closest}",
        "en": 'Cannot recognise "{file}": no rule matches its header. {closest}',
    },
    "closest_rule": {
        "zh-CN": "最接近的规则是 {rule}（{rule_file}），但表头缺少列：{missing}。"
        "若这是该格式的新版本，请在规则的 [identify] columns 中调整列名。",
        "en": "The closest rule is {rule} ({rule_file}), but the header lacks: {missing}. "
        "If this is a new layout of that format, adjust the column names in the rule's "
        "[identify] columns.",
    },
    "no_header_found": {
        "zh-CN": "没有找到看起来像表头的行（前 {lines} 行中）。",
        "en": "No line that looks like a header was found (in the first {lines} lines).",
    },
    "two_rules_match": {
        "zh-CN": "文件“{file}”同时符合两条规则：{rules}。请让其中一条的 [identify] 更具体。",
        "en": '"{file}" matches two rules: {rules}. Make one rule\'s [identify] more specific.',
    },
    "cannot_decode": {
        "zh-CN": "文件“{file}”既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取。",
        "en": '"{file}" is neither UTF-8 nor GBK/GB18030 text and cannot be read.',
    },
    "unsupported_file": {
        "zh-CN": "不支持的文件类型“{file}”：只能导入 CSV/TXT 和 XLSX。",
        "en": 'Unsupported file type "{file}": only CSV/TXT and XLSX can be imported.',
    },
    "empty_file": {
        "zh-CN": "文件“{file}”表头之后没有数据行。",
        "en": '"{file}" has no data rows after its header.',
    },
    # --- bad cells
    "bad_amount": {
        "zh-CN": "文件“{file}”第 {row} 行，列“{column}”的值“{value}”不是金额"
        "（规则 {rule}）。请修正该单元格，或在规则中调整此列的映射。",
        "en": '"{file}" row {row}, column "{column}": "{value}" is not an amount '
        "(rule {rule}). Correct the cell, or change this column's mapping in the rule.",
    },
    "bad_date": {
        "zh-CN": "文件“{file}”第 {row} 行，列“{column}”的值“{value}”不是可识别的日期"
        "（规则 {rule}）。请修正该单元格，或在规则的 [parse] date_formats 中加入它的格式。",
        "en": '"{file}" row {row}, column "{column}": "{value}" is not a date this rule '
        "knows (rule {rule}). Correct the cell, or add its format to the rule's "
        "[parse] date_formats.",
    },
    "bad_integer": {
        "zh-CN": "文件“{file}”第 {row} 行，列“{column}”的值“{value}”不是整数（规则 {rule}）。",
        "en": '"{file}" row {row}, column "{column}": "{value}" is not a whole number '
        "(rule {rule}).",
    },
    "missing_value": {
        "zh-CN": "文件“{file}”第 {row} 行，必填列“{column}”为空（规则 {rule}）。",
        "en": '"{file}" row {row}: required column "{column}" is empty (rule {rule}).',
    },
    "duplicate_key": {
        "zh-CN": "文件“{file}”第 {row} 行与第 {other_row} 行的去重键相同（{key}，规则 {rule}）。"
        '若这是该格式的正常现象，请在规则的 [key] 中设置 duplicates = "keep_first" 或 "number"。',
        "en": '"{file}" rows {other_row} and {row} share the de-duplication key {key} '
        '(rule {rule}). If that is normal for this format, set duplicates = "keep_first" '
        'or "number" in the rule\'s [key].',
    },
    "excel_mangled": {
        "zh-CN": "文件“{file}”第 {row} 行，列“{column}”的值“{value}”是被 Excel 改成科学计数法的编号"
        "（规则 {rule}），原来的数字已经丢失，无法区分不同的行。请从后台重新下载原始文件，"
        "不要用 Excel 打开后另存。",
        "en": '"{file}" row {row}, column "{column}": "{value}" is an id that Excel '
        "turned into scientific notation (rule {rule}); its digits are lost, so rows can no "
        "longer be told apart. Download the original file again and do not re-save it in Excel.",
    },
    "no_shop": {
        "zh-CN": "无法确定文件“{file}”属于哪个店铺：文件中没有店铺列，finance.toml 的 [shops] "
        '也没有平台“{platform}”的店铺。请在 finance.toml 中加入 [shops] {platform} = "店铺名"。',
        "en": 'Cannot tell which shop "{file}" belongs to: it has no shop column and '
        'finance.toml [shops] names no shop for platform "{platform}". Add '
        '[shops] {platform} = "Shop name" to finance.toml.',
    },
    # --- rules files
    "rule_toml": {
        "zh-CN": "规则文件 {rule_file} 第 {line} 行不是合法的 TOML：{detail}。"
        "请检查该行的引号和括号；"
        '用作键的中文列名必须加引号，例如 when = {{ "业务类型" = "..." }}。',
        "en": "Rules file {rule_file} line {line} is not valid TOML: {detail}. Check the quotes "
        "and brackets on that line; a Chinese column name used as a key must be quoted, e.g. "
        'when = {{ "业务类型" = "..." }}.',
    },
    "rule_invalid": {
        "zh-CN": "规则文件 {rule_file} 第 {line} 行：{detail}。修改方法：{fix}",
        "en": "Rules file {rule_file} line {line}: {detail}. Fix: {fix}",
    },
    # --- ingest outcomes
    "imported": {
        "zh-CN": "已导入 {file}（{rule}，{shop}）：新增 {added} 行{dup_note}。",
        "en": "Imported {file} ({rule}, {shop}): {added} new rows{dup_note}.",
    },
    "dup_note": {
        "zh-CN": "，{duplicates} 行此前已导入，已跳过",
        "en": ", {duplicates} already imported and skipped",
    },
    "already_imported": {
        "zh-CN": "{file} 与 {when} 导入的“{original}”内容完全相同，未重复导入。",
        "en": '{file} is identical to "{original}" imported {when}; nothing added.',
    },
    "rule_closest": {
        "zh-CN": "没有规则匹配；最接近的是 {rule}，缺少列：{missing}",
        "en": "No rule matches; the closest is {rule}, missing columns: {missing}",
    },
    "rules_update_added": {
        "zh-CN": "新增 rules/{file}",
        "en": "added rules/{file}",
    },
    "rules_update_updated": {
        "zh-CN": "已更新 rules/{file}（你没有改过它）",
        "en": "updated rules/{file} (you had not edited it)",
    },
    "rules_update_taken": {
        "zh-CN": "已采用新版 rules/{file}，你的旧文件保存为 rules/{file}.bak",
        "en": "took the shipped rules/{file}; yours is kept as rules/{file}.bak",
    },
    "rules_update_kept": {
        "zh-CN": "保留 rules/{file}：你改过它（或来历不明），新版本在 {shipped}。"
        "对比后手动合并，或用 --take {file} 采用新版本。",
        "en": "kept rules/{file}: you edited it (or its origin is unknown); the shipped version "
        "is {shipped}. Merge by hand, or take it with --take {file}.",
    },
    "rules_update_dry_run": {
        "zh-CN": "试运行：将更改 {count} 个文件，未写入任何内容。",
        "en": "Dry run: {count} files would change; nothing was written.",
    },
    "rules_update_done": {
        "zh-CN": "规则已更新（{count} 个文件）。已导入的数据不会自动改变："
        "如需按新规则重新导入已归档的文件，运行 finance rebuild。",
        "en": "Rules updated ({count} files). Imported data does not change by itself: run "
        "finance rebuild to re-import the archived files with the new rules.",
    },
    "rules_update_unknown": {
        "zh-CN": "没有名为 {name} 的内置规则文件"
        "（写法如 formats/jd-orders.toml 或 contracts.toml）。",
        "en": "No shipped rules file is called {name} (write e.g. formats/jd-orders.toml or "
        "contracts.toml).",
    },
    "file_busy": {
        "zh-CN": "{file} 正由另一个 finance 进程导入，本次跳过。",
        "en": "{file} is being imported by another finance process; left to it.",
    },
    "rejected": {
        "zh-CN": "已拒收 {file}，原因见 rejected/{file}.error.txt：{reason}",
        "en": "Rejected {file}; see rejected/{file}.error.txt: {reason}",
    },
    "inbox_empty": {
        "zh-CN": "inbox/ 中没有待导入的文件。",
        "en": "Nothing to import in inbox/.",
    },
    "error_file_header": {
        "zh-CN": "文件未能导入，已移到 rejected/。原因：",
        "en": "This file was not imported and was moved to rejected/. Reason:",
    },
    "error_file_footer": {
        "zh-CN": "改正后把文件放回 inbox/ 再运行 finance ingest 即可；数据库未做任何改动。",
        "en": "Fix it and drop the file into inbox/ again, then run finance ingest; "
        "nothing was written to the store.",
    },
    # --- workspace
    "no_workspace": {
        "zh-CN": "“{path}”不是 finance 工作目录（没有 finance.toml）。先运行 finance init {path}。",
        "en": '"{path}" is not a finance workspace (no finance.toml). Run finance init {path} '
        "first.",
    },
    "workspace_created": {
        "zh-CN": "已创建工作目录 {path}。把对账单放进 {path}/inbox/，然后运行 finance ingest。",
        "en": "Created workspace {path}. Drop statements into {path}/inbox/ and run "
        "finance ingest.",
    },
    "workspace_exists": {
        "zh-CN": "{path} 已经是工作目录，未做改动。",
        "en": "{path} is already a workspace; nothing changed.",
    },
    "bad_month": {
        "zh-CN": "月份“{value}”格式不对，应为 YYYY-MM，例如 2026-10。",
        "en": 'Month "{value}" is not in the form YYYY-MM, for example 2026-10.',
    },
    "bad_basis": {
        "zh-CN": "期间口径“{value}”无效：请用 posting（按入账日期）或 order（按订单付款月份）。",
        "en": 'Basis "{value}" is not known: use posting (posting date) or order (order '
        "payment month).",
    },
    "no_such_file": {
        "zh-CN": "找不到文件“{file}”。",
        "en": 'No such file: "{file}".',
    },
    "bad_lang": {
        "zh-CN": "语言“{value}”无效：请用 zh-CN（中文）或 en（English）。",
        "en": 'Language "{value}" is not known: use zh-CN (中文) or en (English).',
    },
    "rule_matches": {
        "zh-CN": "匹配规则 {rule}（{rule_file}）：表头在第 {line} 行",
        "en": "Matches rule {rule} ({rule_file}): header on line {line}",
    },
    "unclassified_names": {
        "zh-CN": "未归类的费用名称：{names}",
        "en": "Unclassified fee names: {names}",
    },
    "gap_orders": {
        "zh-CN": "{n} 笔已结算订单不在任何订单导出中（请补导出更早时间段的订单）",
        "en": "{n} settled orders are in no order export (export an earlier window)",
    },
    "gap_ads": {
        "zh-CN": "没有导入广告报表（万相台等）",
        "en": "no ad report (万相台 etc.) imported",
    },
    "gap_refund_list": {
        "zh-CN": "账务明细中有退款，但没有导入退款管理导出：无法判断退回的件数",
        "en": "refunds in the ledger but no refund list: returned units cannot be told",
    },
    "archive_missing": {
        "zh-CN": "无法重建：archive/ 中缺少这些已导入的文件：{files}。账本未做任何改动。",
        "en": "Cannot rebuild: these imported files are missing from archive/: {files}. "
        "The ledger was not changed.",
    },
    "rebuild_failed": {
        "zh-CN": "重建失败，账本未做任何改动。文件 {file} 按当前规则无法导入：{reason}",
        "en": "Rebuild failed and the ledger was not changed. {file} no longer imports with the "
        "current rules: {reason}",
    },
    "rebuilt": {
        "zh-CN": "已按当前规则重新导入 {files} 个文件。",
        "en": "Re-imported {files} files with the current rules.",
    },
    "unknown_sku": {
        "zh-CN": "{month} 没有 SKU“{sku}”的任何数据。请检查商家编码的拼写（区分大小写）。",
        "en": 'Nothing in {month} for SKU "{sku}". Check the SKU code\'s spelling (case matters).',
    },
    "explain_written": {
        "zh-CN": "全部 {rows} 行明细已写入 {path}。",
        "en": "All {rows} rows written to {path}.",
    },
    "explain_more": {
        "zh-CN": "共 {rows} 行，上面只显示了前后各一部分；加 --output 文件名.csv 可导出全部。",
        "en": "{rows} rows in all; only some of them are shown above. Add --output FILE.csv "
        "to write them all.",
    },
    "no_data_for_month": {
        "zh-CN": "{month} 没有任何已导入的账务数据。已导入的月份：{months}。",
        "en": "Nothing is imported for {month}. Months with data: {months}.",
    },
    "currency_mix": {
        "zh-CN": "{month} 含有非本位币（{base}）的金额：{currencies}。多币种换算尚未配置。",
        "en": "{month} holds amounts in currencies other than the base currency {base}: "
        "{currencies}. Currency conversion is not configured yet.",
    },
    "report_written": {
        "zh-CN": "报表已生成：",
        "en": "Reports written:",
    },
    "demo_done": {
        "zh-CN": "演示完成。工作目录：{path}",
        "en": "Demo finished. Workspace: {path}",
    },
    "costs_imported": {
        "zh-CN": "已导入成本表 {file}：{added} 行（{replaced} 行覆盖了同一生效日期的旧成本）。",
        "en": "Imported unit costs from {file}: {added} rows ({replaced} replaced an earlier "
        "cost with the same effective date).",
    },
    # --- reconciliation
    "recon_receivable": {
        "zh-CN": "{shipped} 已发货（至月末 {age} 天），尚未结算；应收 {owed}（实付 {paid} 减退款 "
        "{refunded}）；结算期限 {window} 天。",
        "en": "Shipped {shipped} ({age} days before month end), not settled; owed {owed} (paid "
        "{paid} less refunds {refunded}); settlement window {window} days.",
    },
    "recon_unknown_order": {
        "zh-CN": "订单 {order} 已结算货款 {amount}，但它不在任何订单导出中。",
        "en": "Goods payment {amount} settled for order {order}, which is in no order export.",
    },
    "recon_goods_difference": {
        "zh-CN": "已结算 {settled}（货款减退款），订单导出应为 {expected}（实付 {paid} 减退款 "
        "{refunded}）；差额 {diff}。",
        "en": "Settled {settled} (goods payments less refunds) but the order export says "
        "{expected} (paid {paid} less refunds {refunded}); difference {diff}.",
    },
    "recon_commission": {
        "zh-CN": "佣金实扣 {charged}，合同应为 {expected}（{category}，费率 {rate}）；"
        "差额 {diff}。",
        "en": "Commission charged {charged}, contract {expected} ({category}, rate {rate}); "
        "difference {diff}.",
    },
    "recon_payment_fee": {
        "zh-CN": "{fee} 实扣 {charged}，合同应为 {expected}（实付 {paid} × 费率 {rate}）；"
        "差额 {diff}。",
        "en": "{fee} charged {charged}, contract {expected} (rate {rate} of {paid}); "
        "difference {diff}.",
    },
    "recon_parcel": {
        "zh-CN": "运单 {waybill} 寄往 {region}，结算重量 {weight} 克，计费 {charged}，价目表应为 "
        "{expected}（{courier}）；多收 {diff}。",
        "en": "Waybill {waybill} to {region}, {weight} g, billed {charged}; the rate card says "
        "{expected} ({courier}); overcharge {diff}.",
    },
    "recon_duplicate": {
        "zh-CN": "{fee} {amount} 对 {subject} 扣了 {count} 次（不同的流水号）。",
        "en": "{fee} of {amount} charged {count} times on {subject} (different row ids).",
    },
    "recon_withdrawal_unmatched": {
        "zh-CN": "{date} 提现 {amount}：{days} 天内银行没有这笔金额的入账。",
        "en": "Withdrawal of {amount} on {date}: no bank receipt of that amount within {days} "
        "days.",
    },
    "recon_bank_unmatched": {
        "zh-CN": "{date} 银行收到 {counterparty} {amount}：没有与之对应的平台提现。",
        "en": "Bank receipt of {amount} on {date} from {counterparty}: no platform withdrawal "
        "matches it.",
    },
    "recon_settlement_total": {
        "zh-CN": "结算单 {settlement} 的总额为 {total}，但各行合计 {rows}；差额 {diff}。",
        "en": "Settlement {settlement} says its total is {total} but its rows add up to {rows}; "
        "difference {diff}.",
    },
    "recon_title": {
        "zh-CN": "{month} 对账：{count} 项差异，涉及金额 {amount}（新 {new}，未解决 {open}，"
        "本月解决 {resolved}）",
        "en": "Reconciliation {month}: {count} exceptions, {amount} at stake (new {new}, open "
        "{open}, resolved this month {resolved})",
    },
    "recon_kind_line": {
        "zh-CN": "{kind}：{count} 项，{amount}",
        "en": "{kind}: {count}, {amount}",
    },
    "recon_ageing": {
        "zh-CN": "应收账龄（天）：{buckets}",
        "en": "Receivables by age (days): {buckets}",
    },
    "recon_clean": {
        "zh-CN": "{month} 对账没有发现差异。",
        "en": "Reconciliation {month}: no exceptions.",
    },
    "recon_written": {
        "zh-CN": "全部 {rows} 项差异已写入 {path}。",
        "en": "All {rows} exceptions written to {path}.",
    },
    "recon_section_title": {
        "zh-CN": "对账",
        "en": "Reconciliation",
    },
    # --- cross-border: currencies, shops by folder, rules explain (issue #3 part B)
    "fx_rate_missing": {
        "zh-CN": "缺少汇率：{currency} 在 {date} 当天及之前没有汇率，无法换算为本位币 {base}。"
        "请在 inbox/ 放入汇率表（日期,币种,汇率），加入 {currency} 在 {date} 或更早的汇率。",
        "en": "Missing exchange rate: {currency} has no rate on or before {date}, so it cannot be "
        "converted to the base currency {base}. Drop an fx-rates file (日期,币种,汇率) into "
        "inbox/ with a {currency} rate on or before {date}.",
    },
    "no_shop_told": {
        "zh-CN": "无法确定文件“{file}”属于哪个店铺：文件中没有店铺列，规则没有 [shop] name，"
        "finance.toml 中也没有与其路径相符的 [[shop_by_path]] 或平台“{platform}”的 [shops]。"
        "不会猜测店铺。请把文件放进某店铺的文件夹并在 finance.toml 中加入 [[shop_by_path]]"
        '（pattern = "文件夹/", shop = "店铺名"），或加入 [shops] {platform} = "店铺名"。',
        "en": 'Cannot tell which shop "{file}" belongs to: it has no shop column, the rule has '
        "no [shop] name, and finance.toml has neither a [[shop_by_path]] matching its path nor "
        '[shops] for platform "{platform}". The shop is never guessed. Put the file in a shop\'s '
        'folder and add [[shop_by_path]] (pattern = "folder/", shop = "Shop name") to '
        'finance.toml, or add [shops] {platform} = "Shop name".',
    },
    "rule_missed": {
        "zh-CN": "不匹配规则 {rule}（{rule_file}）：表头缺少列 {missing}",
        "en": "Not rule {rule} ({rule_file}): the header lacks {missing}",
    },
    # --- Chinese platforms and spreadsheets (issue #3 part A)
    "bad_direction": {
        "zh-CN": "文件“{file}”第 {row} 行，列“{column}”的值“{value}”既不是入账也不是出账"
        "（规则 {rule} 的 [direction]：入账匹配 {income}，出账匹配 {expense}）。"
        "请修正该单元格，或在规则的 [direction] 中加入这种写法。",
        "en": '"{file}" row {row}, column "{column}": "{value}" is neither income nor expense '
        "(rule {rule} [direction]: income matches {income}, expense matches {expense}). "
        "Correct the cell, or add this spelling to the rule's [direction].",
    },
    # --- alerts, digest and watch
    "alert_where": {
        "zh-CN": "商品 {sku}（{platform}/{shop}）",
        "en": "SKU {sku} ({platform}/{shop})",
    },
    "alert_margin_negative": {
        "zh-CN": "{who}本月亏损：真实利润 {figure} 元。",
        "en": "{who} lost money this month: true margin {figure}.",
    },
    "alert_margin_floor": {
        "zh-CN": "{who}真实利润率 {figure}，低于下限 {threshold}。",
        "en": "{who} true margin {figure} of net sales, below the floor of {threshold}.",
    },
    "alert_margin_drop": {
        "zh-CN": "{who}利润率从上月（{month}）的 {prior} 降到 {now}，"
        "降幅超过 {threshold} 个百分点。",
        "en": "{who} margin fell from {prior} in {month} to {now}, more than {threshold} points.",
    },
    "alert_ad_share": {
        "zh-CN": "{who}广告费占净销售额 {figure}，超过上限 {threshold}。",
        "en": "{who} advertising is {figure} of net sales, above the limit of {threshold}.",
    },
    "alert_ad_break_even": {
        "zh-CN": "{who}广告费 {figure} 元超过广告前利润 {threshold} 元（ACoS 高于盈亏平衡点），"
        "广告在亏钱。",
        "en": "{who} advertising {figure} exceeds the margin before ads {threshold} (ACoS above "
        "break-even): the ads lose money.",
    },
    "alert_return_rate": {
        "zh-CN": "{who}退货率 {figure}（售出 {sold} 件，退回 {returned} 件），超过 {threshold}。",
        "en": "{who} return rate {figure} ({returned} of {sold} units came back), above "
        "{threshold}.",
    },
    "alert_missing_cost": {
        "zh-CN": "{who}本月售出 {units} 件，但没有成本价，利润被高估。请用 finance costs import "
        "导入成本表。",
        "en": "{who} sold {units} units without a unit cost, so its margin is overstated. "
        "Import it with finance costs import.",
    },
    "alert_unclassified": {
        "zh-CN": "{platform}/{shop} 有 {rows} 行未归类费用，合计 {figure} 元。请在规则中加入 "
        "[[classify]]，然后运行 finance rebuild。",
        "en": "{platform}/{shop} has {rows} unclassified fee rows totalling {figure}. Add a "
        "[[classify]] rule, then run finance rebuild.",
    },
    "alert_overcharge": {
        "zh-CN": "{platform}/{shop} SKU {sku}：{items} 笔费用高于合同约定，多收 {figure} 元。",
        "en": "{platform}/{shop} SKU {sku}: {items} fees above the contract, {figure} overcharged.",
    },
    "alert_unsettled": {
        "zh-CN": "{platform}/{shop} 有 {orders} 个订单超过 {days} 天未结算（最久 {oldest} 天），"
        "金额 {figure} 元。",
        "en": "{platform}/{shop} has {orders} orders unsettled for more than {days} days "
        "(oldest {oldest} days), {figure} at stake.",
    },
    "alert_missing_statement": {
        "zh-CN": "{platform}/{shop} 缺少 {month} 的 {format} 账单（{prior} 有）。"
        "请下载后放入 inbox/。",
        "en": "{platform}/{shop} has no {format} statement for {month} (it had one for "
        "{prior}). Download it into inbox/.",
    },
    "alerts_summary": {
        "zh-CN": "共 {total} 条预警：高 {high}，中 {medium}，低 {low}。",
        "en": "{total} alerts: {high} high, {medium} medium, {low} low.",
    },
    "alerts_none": {
        "zh-CN": "{month} 没有预警。",
        "en": "No alerts for {month}.",
    },
    "digest_subject": {
        "zh-CN": "[finance] {month} 预警：新增 {new}，持续 {persisting}，已解除 {cleared}",
        "en": "[finance] {month} alerts: {new} new, {persisting} persisting, {cleared} cleared",
    },
    "digest_title": {
        "zh-CN": "{month} 利润预警",
        "en": "Margin alerts for {month}",
    },
    "digest_summary": {
        "zh-CN": "共 {total} 条预警：自上次摘要以来新增 {new} 条，持续 {persisting} 条，"
        "已解除 {cleared} 条。",
        "en": "{total} alerts: since the last digest {new} new, {persisting} persisting, "
        "{cleared} cleared.",
    },
    "digest_new": {"zh-CN": "新增预警（{n}）", "en": "New ({n})"},
    "digest_persisting": {"zh-CN": "仍未解决（{n}）", "en": "Still there ({n})"},
    "digest_cleared": {"zh-CN": "已解除（{n}）", "en": "Cleared ({n})"},
    "digest_more": {
        "zh-CN": "……还有 {n} 条，见报表的“预警”部分。",
        "en": "... and {n} more in the report's Alerts section.",
    },
    "digest_cleared_item": {
        "zh-CN": "{rule}：{platform}/{shop} {sku}（上次为 {figure}）已不再触发。",
        "en": "{rule}: {platform}/{shop} {sku} (was {figure}) no longer fires.",
    },
    "digest_attached": {
        "zh-CN": "附件：本月利润表 {file}。",
        "en": "Attached: the month's P&L workbook {file}.",
    },
    "digest_too_large": {
        "zh-CN": "利润表太大，未作为附件发送，请在这里打开：{path}",
        "en": "The P&L workbook is too large to attach; open it here: {path}",
    },
    "digest_no_workbook": {
        "zh-CN": "{month} 还没有利润表（没有已导入的账务数据）。",
        "en": "There is no P&L workbook for {month} yet (nothing imported).",
    },
    "digest_footer": {
        "zh-CN": "由 finance 生成，工作目录：{workspace}",
        "en": "Sent by finance from the workspace {workspace}",
    },
    "digest_fig_net": {"zh-CN": "净销售额", "en": "Net sales"},
    "digest_prior": {"zh-CN": "上月 {value}", "en": "prior month {value}"},
    "digest_fig_margin": {"zh-CN": "真实利润", "en": "True margin"},
    "digest_fig_margin_pct": {"zh-CN": "利润率", "en": "Margin %"},
    "digest_fig_unallocated": {"zh-CN": "未分摊到 SKU", "en": "Not allocated to a SKU"},
    "digest_sent": {
        "zh-CN": "摘要已发送给 {to}（新增 {new}，持续 {persisting}，已解除 {cleared}）。",
        "en": "Digest sent to {to} ({new} new, {persisting} persisting, {cleared} cleared).",
    },
    "digest_written": {
        "zh-CN": "试运行：摘要已写入 {path}，未发送，也未记为已发送。",
        "en": "Dry run: the digest was written to {path}; nothing was sent or recorded.",
    },
    "mail_bad_setting": {
        "zh-CN": "finance.toml [mail] 中 {key} = “{value}” 无效，应为：{expected}。",
        "en": 'finance.toml [mail] {key} = "{value}" is not valid; use one of: {expected}.',
    },
    "mail_not_configured": {
        "zh-CN": "没有配置邮件服务器：请在 finance.toml 的 [mail] 中填写 host，"
        "或用 --dry-run 只生成 .eml 文件。",
        "en": "No mail server is set: fill in host under [mail] in finance.toml, or use "
        "--dry-run to write the .eml file only.",
    },
    "mail_no_recipients": {
        "zh-CN": "没有收件人：请在 finance.toml 的 [mail] 中填写 to，或使用 --to 地址。",
        "en": "No recipient: set to under [mail] in finance.toml, or pass --to ADDRESS.",
    },
    "mail_no_password": {
        "zh-CN": "邮件用户 {user} 需要密码：请设置环境变量 {env}（密码不要写进 finance.toml）。",
        "en": "The mail user {user} needs a password: set the environment variable {env} "
        "(never put it in finance.toml).",
    },
    "mail_login_refused": {
        "zh-CN": "邮件服务器 {host}:{port} 拒绝了用户 {user} 的登录（{reason}）。"
        "请检查 [mail] user 和环境变量 FINANCE_SMTP_PASSWORD。摘要未发送，也未记为已发送。",
        "en": "The mail server {host}:{port} refused the login of {user} ({reason}). Check "
        "[mail] user and FINANCE_SMTP_PASSWORD. Nothing was sent or recorded.",
    },
    "mail_failed": {
        "zh-CN": "无法通过 {host}:{port} 发送摘要（{reason}）。请检查 finance.toml 的 [mail] "
        "设置和网络。摘要未发送，也未记为已发送。",
        "en": "Could not send the digest through {host}:{port} ({reason}). Check [mail] in "
        "finance.toml and the network. Nothing was sent or recorded.",
    },
    "watch_started": {
        "zh-CN": "正在监视 {inbox}（按 Ctrl-C 停止）。",
        "en": "Watching {inbox} (Ctrl-C stops).",
    },
    "watch_stopped": {"zh-CN": "已停止监视。", "en": "Stopped watching."},
    "watch_file_failed": {
        "zh-CN": "处理 {file} 时出错，已跳过，继续监视：{reason}",
        "en": "Could not process {file}; skipped, still watching: {reason}",
    },
    "watch_claimed": {
        "zh-CN": "{file} 正由另一个 finance 进程导入，跳过。",
        "en": "{file} is being imported by another finance process; skipped.",
    },
    "watch_reports": {
        "zh-CN": "已更新 {month} 的报表。",
        "en": "Reports for {month} refreshed.",
    },
    "watch_digest_failed": {
        "zh-CN": "{month} 的摘要未能发送，稍后重试：{reason}",
        "en": "The digest for {month} was not sent; will try again: {reason}",
    },
    "watch_bad_schedule": {
        "zh-CN": 'finance.toml [mail] schedule 中的“{value}”无效：请用 "daily HH:MM" 或 '
        '"after_ingest"。',
        "en": 'finance.toml [mail] schedule "{value}" is not valid: use "daily HH:MM" or '
        '"after_ingest".',
    },
    # --- rules-file errors (detail / fix)
    # The ``detail`` and ``fix`` of ``rule_invalid`` (rules/formats/*.toml, allocation.toml,
    # alerts.toml, finance.toml [alerts]): every key starts with ``rules_``; ``rules_fix_*`` are
    # fixes. TOML names ([identify], column = "...") stay as they are in both languages.
    # contracts.toml
    "contracts_not_decimal": {
        "zh-CN": "“{value}”不是精确的小数文本",
        "en": "{value!r} is not an exact decimal string",
    },
    "contracts_fix_decimal": {
        "zh-CN": '金额和费率写成带引号的文本，例如 "0.05" 或 "3.00"',
        "en": 'write money and rates as strings, e.g. "0.05" or "3.00"',
    },
    "contracts_negative": {"zh-CN": "“{value}”是负数", "en": "{value!r} is negative"},
    "contracts_fix_positive": {"zh-CN": "改成正数", "en": "use a positive number"},
    "contracts_more_decimals": {
        "zh-CN": "“{value}”超过两位小数",
        "en": "{value!r} has more than two decimals",
    },
    "contracts_fix_cents": {"zh-CN": "四舍五入到分（两位小数）", "en": "round to cents"},
    "contracts_entry_lacks": {
        "zh-CN": "有一个 [[{section}]] 条目缺少“{key}”",
        "en": "a [[{section}]] entry has no {key!r}",
    },
    "contracts_zone_lacks": {
        "zh-CN": "“{courier}”的一个区域缺少 provinces、first 或 additional",
        "en": "a zone of {courier!r} lacks provinces, first or additional",
    },
    "contracts_goods": {
        "zh-CN": "[platform.{name}] 中 goods = {goods} 不是账本分类的列表",
        "en": "goods = {goods!r} in [platform.{name}] is not a list of ledger categories",
    },
    "contracts_fix_goods": {
        "zh-CN": '列出分类，例如 ["sales", "platform_subsidy"]；可用的分类：{known}',
        "en": 'list categories, e.g. ["sales", "platform_subsidy"]; known: {known}',
    },
    "contracts_refunds": {
        "zh-CN": "[platform.{name}] 中 refunds = “{refunds}” 不是有效的退款来源",
        "en": "refunds = {refunds!r} in [platform.{name}] is not a refund source",
    },
    "contracts_fix_refunds": {
        "zh-CN": '写 refunds = "export"（导入了退款清单）或 "settlement"（退款只在结算单里）',
        "en": 'write refunds = "export" (a refund list is imported) or "settlement"',
    },
    "contracts_not_bool": {
        "zh-CN": "{key} = {value} 不是 true 或 false",
        "en": "{key} = {value!r} is not true or false",
    },
    "contracts_shipping": {
        "zh-CN": "[platform.{name}] 中的 shipping 必须有 fee 和 free_from",
        "en": "shipping in [platform.{name}] must have fee and free_from",
    },
    "rules_bad_regex": {
        "zh-CN": "正则表达式“{pattern}”写错了（{error}）",
        "en": "pattern {pattern!r} is not a valid regular expression ({error})",
    },
    "rules_fix_regex": {
        "zh-CN": "改正这个正则表达式（TOML 字符串里的反斜杠要写两个）",
        "en": "correct the pattern (remember to double backslashes inside TOML strings)",
    },
    "rules_unknown_column": {
        "zh-CN": "列“{column}”不在本规则声明的表头列中",
        "en": "column {column!r} is not among the header columns this rule declares",
    },
    "rules_fix_declare_column": {
        "zh-CN": "把它加到 [identify] columns（必有的列）或 [identify] optional（可选的列）中，"
        "或改正列名的拼写",
        "en": "add it to [identify] columns (required) or [identify] optional, or correct "
        "its spelling",
    },
    "rules_unknown_section": {
        "zh-CN": "没有 [{section}] 这个段",
        "en": "unknown section [{section}]",
    },
    "rules_not_table": {
        "zh-CN": "[{section}] 必须是一个表（table）",
        "en": "[{section}] must be a table",
    },
    "rules_unknown_key": {
        "zh-CN": "{section} 中没有“{key}”这个键",
        "en": "unknown key {key!r} in {section}",
    },
    "rules_format_lacks": {
        "zh-CN": "[format] 缺少“{key}”",
        "en": "[format] has no {key!r}",
    },
    "rules_unknown_value": {
        "zh-CN": "没有“{value}”这种 {what}",
        "en": "unknown {what} {value!r}",
    },
    "rules_columns_empty": {
        "zh-CN": "[{section}] columns 是空的",
        "en": "[{section}] columns is empty",
    },
    "rules_one_column": {
        "zh-CN": "{name} 必须写一个列名",
        "en": "{name} must name one column",
    },
    "rules_columns_and_extract": {
        "zh-CN": "{name} 同时写在了 [columns] 和 [extract] 中",
        "en": "{name} is set in both [columns] and [extract]",
    },
    "rules_needs_column_pattern": {
        "zh-CN": "{name} 要写成 {{ column = ..., pattern = ... }}",
        "en": "{name} needs {{ column = ..., pattern = ... }}",
    },
    "rules_no_group": {
        "zh-CN": "正则表达式“{pattern}”没有捕获组",
        "en": "pattern {pattern!r} has no capture group",
    },
    "rules_not_bool": {
        "zh-CN": "{name} 不是“是/否”字段",
        "en": "{name} is not a true/false field",
    },
    "rules_must_map": {
        "zh-CN": "{kind} 类规则必须映射“{field}”",
        "en": "a {kind} rule must map {field!r}",
    },
    "rules_needs_amount": {
        "zh-CN": "{kind} 类规则需要映射 amount，或同时映射 income 和 expense，或使用 [[amounts]]",
        "en": "a {kind} rule needs amount, or both income and expense, or [[amounts]]",
    },
    "rules_classify_category": {
        "zh-CN": "第 {n} 个 [[classify]]：没有“{category}”这种 category",
        "en": "unknown category {category!r} in [[classify]] #{n}",
    },
    "rules_ledger_category": {
        "zh-CN": "ledger 类规则需要 [format] category 或 [[classify]] 条目",
        "en": "a ledger rule needs [format] category or [[classify]] entries",
    },
    "rules_setting": {
        "zh-CN": "{key} 的值“{value}”无效",
        "en": "{key} {value!r}",
    },
    "rules_setting_eq": {
        "zh-CN": "{key} = “{value}” 无效",
        "en": "{key} = {value!r}",
    },
    "rules_include_list": {
        "zh-CN": "include 必须是文件名列表",
        "en": "include must be a list of file names",
    },
    "rules_include_circle": {
        "zh-CN": "{name} 包含了它自己（直接包含，或经由另一个部分文件）",
        "en": "{name} includes itself (directly or through another part)",
    },
    "rules_include_missing": {
        "zh-CN": "被包含的文件 {name} 不存在",
        "en": "included file {name} does not exist",
    },
    "rules_amounts_ledger_only": {
        "zh-CN": "[[amounts]] 只能用于 ledger 类规则",
        "en": "[[amounts]] is for ledger rules",
    },
    "rules_amounts_no_column": {
        "zh-CN": "[[amounts]] 缺少 column",
        "en": "[[amounts]] needs column",
    },
    "rules_not_a_field": {
        "zh-CN": "“{name}”不是 {kind} 类规则的字段",
        "en": "{name!r} is not a field of kind {kind!r}",
    },
    "rules_duplicate_name": {
        "zh-CN": "格式名“{name}”已被 {other} 使用",
        "en": "format name {name!r} is also used by {other}",
    },
    "rules_amounts_and_unpivot": {
        "zh-CN": "一条规则只能用 [[amounts]] 或 [unpivot] 其中之一，不能两个都用",
        "en": "a rule uses either [[amounts]] or [unpivot], not both",
    },
    "rules_already_header": {
        "zh-CN": "“{name}”已经是表头中的列",
        "en": "{name!r} is already a header column",
    },
    "rules_direction_keys": {
        "zh-CN": "[direction] 需要 column、income 和 expense 三项（仅限 ledger 类规则）",
        "en": "[direction] needs column, income and expense (ledger rules only)",
    },
    "rules_direction_no_amount": {
        "zh-CN": "[direction] 用来决定 amount 列的正负，但本规则没有映射 amount",
        "en": "[direction] signs the amount column, but the rule maps no amount",
    },
    "rules_absent_clash": {
        "zh-CN": "“{name}”既声明为表头列，又列在 absent 中",
        "en": "{name!r} is both declared and listed as absent",
    },
    "rules_amount_not_number": {
        "zh-CN": "amount“{value}”不是数字",
        "en": "amount {value!r} is not a number",
    },
    "rules_amount_cents": {
        "zh-CN": "amount“{value}”必须是非负数，且最多两位小数",
        "en": "amount {value!r} must be positive with at most two decimals",
    },
    "rules_entry_lacks": {
        "zh-CN": "{section}“{name}”缺少 {key}",
        "en": "{section} {name!r} has no {key}",
    },
    "rules_entry_no_name": {
        "zh-CN": "有一个 [[{section}]] 条目没有 name",
        "en": "a [[{section}]] entry has no name",
    },
    "rules_not_a_cost": {
        "zh-CN": "“{name}”的分类“{category}”不是成本类",
        "en": "category {category!r} of {name!r} is not a cost",
    },
    "rules_unknown_alert": {
        "zh-CN": "没有 [{name}] 这个预警规则",
        "en": "unknown alert rule [{name}]",
    },
    "rules_alert_no_key": {
        "zh-CN": "[{name}] 没有“{key}”这个键",
        "en": "[{name}] has no key {key!r}",
    },
    "rules_not_valid": {
        "zh-CN": "{key} = “{value}” 无效",
        "en": "{key} = {value!r} is not valid",
    },
    "rules_severity": {
        "zh-CN": "severity“{value}”不是可用的级别",
        "en": "severity {value!r} is not known",
    },
    "rules_alert_lacks": {
        "zh-CN": "[{name}] 缺少 {missing}",
        "en": "[{name}] lacks {missing}",
    },
    "rules_not_ratio": {
        "zh-CN": "[alerts] min_margin_pct = “{value}” 不是比例",
        "en": "[alerts] min_margin_pct = {value!r} is not a ratio",
    },
    "rules_expect_pct": {
        "zh-CN": "一个百分数，例如 5 或 2.5（最多 4 位小数，不能为负）",
        "en": "a percentage such as 5 or 2.5 (at most 4 decimal places, not negative)",
    },
    "rules_expect_money": {
        "zh-CN": '以元为单位的金额，例如 "100.00"（不能为负）',
        "en": 'an amount in yuan such as "100.00" (not negative)',
    },
    "rules_expect_int": {
        "zh-CN": "一个整数，不能为负",
        "en": "a whole number, not negative",
    },
    "rules_expect_bool": {"zh-CN": "“是”或“否”：true 或 false", "en": "true or false"},
    "rules_fix_expect": {"zh-CN": "应填写{expected}", "en": "write {expected}"},
    "rules_fix_one_of": {
        "zh-CN": "改用以下之一：{choices}",
        "en": "use one of: {choices}",
    },
    "rules_fix_one_of_list": {
        "zh-CN": "改用以下之一：{choices}",
        "en": "use one of {choices}",
    },
    "rules_fix_use": {
        "zh-CN": "可用的有：{choices}",
        "en": "use {choices}",
    },
    "rules_fix_use_2": {
        "zh-CN": '改用 "{a}" 或 "{b}"',
        "en": 'use "{a}" or "{b}"',
    },
    "rules_fix_use_3": {
        "zh-CN": '改用 "{a}"、"{b}" 或 "{c}"',
        "en": 'use "{a}", "{b}" or "{c}"',
    },
    "rules_fix_add": {"zh-CN": "加上 {example}", "en": "add {example}"},
    "rules_fix_write": {"zh-CN": "写成 {example}", "en": "write {example}"},
    "rules_fix_example": {"zh-CN": "例如写成 {example}", "en": "write e.g. {example}"},
    "rules_fix_see_docs": {"zh-CN": "参见 docs/rules.md", "en": "see docs/rules.md"},
    "rules_fix_identify_columns": {
        "zh-CN": "列出这种格式的每个文件都有的表头列",
        "en": "list the header columns every file of this format has",
    },
    "rules_fix_keep_one": {"zh-CN": "两处只保留一处", "en": "keep one of the two"},
    "rules_fix_capture_group": {
        "zh-CN": "用 ( ) 括住要取出的部分",
        "en": "wrap the part to keep in ( )",
    },
    "rules_fix_account_group": {
        "zh-CN": '用 ( ) 括住账号，例如 "#账号：\\\\[(\\\\d+)\\\\]"',
        "en": 'wrap the account number in ( ), e.g. "#账号：\\\\[(\\\\d+)\\\\]"',
    },
    "rules_fix_map_in_columns": {"zh-CN": "在 [columns] 中映射它", "en": "map it in [columns]"},
    "rules_fix_add_field": {
        "zh-CN": '在 [columns] 下加上 {field} = "<列名>"',
        "en": 'add {field} = "<column>" under [columns]',
    },
    "rules_fix_map_amount": {
        "zh-CN": '在 [columns] 下映射 amount = "<列名>"',
        "en": 'map amount = "<column>" under [columns]',
    },
    "rules_fix_needs_amount": {
        "zh-CN": '映射 amount = "<列名>"，或同时映射 income 和 expense，'
        "或用 [[amounts]] 列出金额列",
        "en": 'map amount = "<column>", or income and expense, or list [[amounts]] columns',
    },
    "rules_fix_classify": {
        "zh-CN": "添加 [[classify]] 表，把费用名称对应到分类",
        "en": "add [[classify]] tables mapping fee names to categories",
    },
    "rules_fix_key_columns": {
        "zh-CN": "列出能区分每一行的列，这样同一行导入两次也只算一次",
        "en": "list the columns that identify a row, so a row imported twice is counted once",
    },
    "rules_fix_circular": {"zh-CN": "去掉循环的 include", "en": "remove the circular include"},
    "rules_fix_include_path": {
        "zh-CN": '写相对于本规则文件的路径，例如 "shared/amazon-fees.toml"',
        "en": 'write the path relative to this rules file, e.g. "shared/amazon-fees.toml"',
    },
    "rules_fix_remove": {"zh-CN": "删掉它", "en": "remove it"},
    "rules_fix_unique_name": {
        "zh-CN": "给每个规则文件起一个不同的 [format] name",
        "en": "give each rules file its own [format] name",
    },
    "rules_fix_amounts_or_unpivot": {
        "zh-CN": "只保留其中一个（见 docs/rules.md 的“[[amounts]] or [unpivot]?”一节）",
        "en": "keep one (docs/rules.md, '[[amounts]] or [unpivot]?')",
    },
    "rules_fix_unpivot_columns": {
        "zh-CN": "列出金额列，每一列各变成一行",
        "en": "list the amount columns that each become one row",
    },
    "rules_fix_unused_name": {
        "zh-CN": "换一个文件中没有用到的名字",
        "en": "choose a name the file does not use",
    },
    "rules_fix_one_list": {
        "zh-CN": "从两个列表之一中删掉它",
        "en": "remove it from one of the two lists",
    },
    "rules_fix_amount_string": {
        "zh-CN": '把金额写成字符串，例如 amount = "1.20"',
        "en": 'write the amount as a string, e.g. amount = "1.20"',
    },
    "rules_fix_amount_example": {
        "zh-CN": '例如 amount = "1.20"',
        "en": 'e.g. amount = "1.20"',
    },
    "rules_fix_alloc_sections": {
        "zh-CN": "改用 [basis]、[fallback]、[[fixed]] 或 [[monthly]]",
        "en": "use [basis], [fallback], [[fixed]] or [[monthly]]",
    },
    "rules_fix_toml": {"zh-CN": "改正 TOML 语法", "en": "correct the TOML syntax"},
    "rules_fix_alert_add": {
        "zh-CN": "加上 {missing}（见 docs/alerts.md）",
        "en": "add {missing} (see docs/alerts.md)",
    },
    "rules_fix_ratio": {
        "zh-CN": '写成比例，例如 "0.05"；或删掉这一行，改用 rules/alerts.toml 中的设置',
        "en": 'write a ratio such as "0.05", or remove the line to use rules/alerts.toml',
    },
}


def text(key: str, lang: str = "en", /, **fields: object) -> str:
    """Format message ``key`` in ``lang`` (``zh-CN`` or ``en``)."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["en"]
    resolved = {k: (v.get(lang, v["en"]) if isinstance(v, dict) else v) for k, v in fields.items()}
    return template.format(**resolved)


def column_text(key: str, lang: str, /, *, missing: str = "", **fields: pl.Expr) -> pl.Expr:
    """Message ``key`` in ``lang`` for every row of a frame: each ``{name}`` takes the row's value
    of ``fields[name]`` (as text; ``missing`` where it is null)."""
    template = MESSAGES[key].get(lang) or MESSAGES[key]["en"]
    pieces: list[pl.Expr] = []
    for literal, name, _spec, _conv in Formatter().parse(template):
        if literal:
            pieces.append(pl.lit(literal))
        if name:
            pieces.append(fields[name].cast(pl.String).fill_null(missing))
    return pl.concat_str(pieces) if pieces else pl.lit("")


def per_lang(key: str, /, **fields: object) -> dict[str, str]:
    """A message in every language, to pass as a field of another message."""
    return {lang: text(key, lang, **fields) for lang in LANGS}


def both(key: str, /, **fields: object) -> str:
    """The message in Chinese, then English, on two lines (for files a user opens)."""
    return "\n".join(text(key, lang, **fields) for lang in LANGS)


# Why a part stayed unallocated: allocate.py writes the English sentence (stable, tested, used in
# exports); reports show it in the reader's language.
REASONS: list[tuple[str, dict[str, str]]] = [
    (
        r"^order (.+) is in no order export$",
        {
            "zh-CN": "订单 {0} 不在任何订单导出中（请补导出更早时间段的订单）",
            "en": "order {0} is in no order export (export an earlier order window)",
        },
    ),
    (
        r"^listing (.+) is in no order export$",
        {"zh-CN": "商品 {0} 不在任何订单导出中", "en": "listing {0} is in no order export"},
    ),
    (
        r"^waybill (.+) is in no order export$",
        {"zh-CN": "运单 {0} 不在任何订单导出中", "en": "waybill {0} is in no order export"},
    ),
    (
        r"^campaign (.+) has no SKUs in campaign-skus$",
        {
            "zh-CN": "推广计划 {0} 在计划-商品对照表（campaign-skus）中没有 SKU",
            "en": "campaign {0} has no SKUs in campaign-skus",
        },
    ),
    (
        r"^the shop has no SKU sales this month$",
        {
            "zh-CN": "本店本月没有 SKU 销售额，无法按销售额分摊",
            "en": "the shop has no SKU sales this month",
        },
    ),
    (
        r"^the order line has no SKU code \(商家编码\)$",
        {"zh-CN": "订单行没有商家编码", "en": "the order line has no SKU code (商家编码)"},
    ),
]


def reason_text(reason: str, lang: str) -> str:
    """An unallocated part's reason in ``lang``; unknown reasons are returned as they are."""
    import re

    for pattern, texts in REASONS:
        match = re.match(pattern, reason)
        if match:
            return texts.get(lang, texts["en"]).format(*match.groups())
    return reason


BASIS_NAMES = {
    "revenue": {"zh-CN": "销售额", "en": "revenue"},
    "quantity": {"zh-CN": "件数", "en": "quantity"},
    "weight": {"zh-CN": "重量", "en": "weight"},
    "order_count": {"zh-CN": "订单数", "en": "order count"},
    "refund list amount": {"zh-CN": "退款单金额", "en": "refund list amount"},
    "direct": {"zh-CN": "直接计入", "en": "direct"},
}


def basis_text(basis: str | None, lang: str) -> str:
    """A split basis as allocate.py records it (``weight``, ``quantity (no weight for every
    SKU)``, ``equal (every weight is zero)``) in ``lang``."""
    import re

    if not basis:
        return ""
    names = {k: v.get(lang, v["en"]) for k, v in BASIS_NAMES.items()}
    match = re.match(r"^(\w[\w ]*?) \(no (\w+) for every SKU\)$", basis)
    if match:
        used, wanted = (names.get(g, g) for g in match.groups())
        if lang == "zh-CN":
            return f"{used}（并非每个 SKU 都有{wanted}，改用此比例）"
        return f"{used} (no {wanted} for every SKU)"
    if basis.startswith("equal"):
        return "平均分摊（各项比例均为零）" if lang == "zh-CN" else basis
    return names.get(basis, basis)
