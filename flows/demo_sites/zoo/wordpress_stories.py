"""Posts of "Open Weights Weekly", a WordPress + Polylang blog (English and Chinese posts).

Polylang keeps one post per language; the Chinese slugs are what WordPress makes of a
Chinese title (percent-encoded UTF-8, lower-case hex) or a hand-typed pinyin slug.  Reader
comments live in ``COMMENTS``: one appears every 50 minutes of site time, as on a real blog.
"""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "hospital-ai-scribes-nurses",
        "kind": "post",
        "extra": {"zh_slug": "医院ai病历助手护士", "post_id": 482, "category": ("Health", "医疗")},
        "title": {
            "en": "Hospitals roll out AI scribes, and nurses ask for a seat at the table",
            "zh": "医院推广AI病历助手，护士要求参与决策",
        },
        "dek": {
            "en": "A regional health network put ambient note-taking software in 14 wards. The people who use it most were consulted least.",
            "zh": "一家地区医疗集团在14个病区部署了环境语音记录软件，而最常用它的人却最少被征求意见。",
        },
        "tldr": {
            "en": [
                "Ambient scribes now draft notes in 14 wards of a regional network.",
                "Nurses say the tool was tuned for doctors' workflows.",
                "A staff petition asks for a joint review board.",
            ],
            "zh": [
                "环境语音病历助手已在一家地区医疗集团的14个病区起草记录。",
                "护士表示该工具是按医生的工作流程调校的。",
                "员工请愿要求成立联合审查委员会。",
            ],
        },
        "paragraphs": [
            {
                "en": "The software listens to a consultation, drafts a clinical note and leaves it for a clinician to sign. Administrators at the network say it saves each doctor about forty minutes a shift.",
                "zh": "这款软件会旁听诊疗过程，起草临床记录，再交由医护人员签署。该医疗集团的管理人员表示，它每班能为每位医生节省约四十分钟。",
            },
            {
                "en": "Nurses tell a different story. Their handover notes follow a fixed structure that the model often rearranges, and correcting it can take longer than writing the note by hand.",
                "zh": "护士们的说法却不一样。她们的交接班记录有固定格式，而模型经常打乱顺序，改正它花的时间可能比手写还长。",
            },
            {
                "en": "\u201cNobody asked us what a good note looks like,\u201d said a ward sister who has worked nights at the network for eleven years. \u201cWe found out about the rollout from a poster in the staff room.\u201d",
                "zh": "一位在该集团上了十一年夜班的病区护士长说：\u201c没有人问过我们好的记录应该是什么样子。我们是从员工休息室的一张海报上得知要推广的。\u201d",
            },
            {
                "en": "The vendor says its model can be adapted to nursing templates within weeks. A petition signed by more than 600 staff asks for a joint review board before the tool reaches the remaining wards.",
                "zh": "供应商表示，其模型可在数周内适配护理模板。一份由600多名员工签名的请愿书要求，在该工具推广到其余病区之前成立联合审查委员会。",
            },
        ],
        "tags": ["Health", "Workplace"],
        "author": "Mei Lin",
        "published": "2026-11-19T07:20:00Z",
        "updated": "2026-11-19T07:20:00Z",
    },
    {
        "slug": "small-lab-math-model",
        "kind": "post",
        "extra": {
            "zh_slug": "xiao-shiyanshi-shuxue-moxing",
            "post_id": 487,
            "category": ("Research", "研究"),
        },
        "title": {
            "en": "A three-billion-parameter model from a four-person lab tops a math olympiad benchmark",
            "zh": "四人实验室的30亿参数模型登顶数学奥赛基准",
        },
        "dek": {
            "en": "The team trained on synthetic proofs checked by a formal verifier, and published every script.",
            "zh": "团队使用经形式化验证器检查的合成证明进行训练，并公开了全部脚本。",
        },
        "tldr": {
            "en": [
                "The 3B model solved 41 of 60 held-out olympiad problems.",
                "Training data were synthetic proofs filtered by a formal verifier.",
                "Weights and training scripts are released under Apache 2.0.",
            ],
            "zh": [
                "该30亿参数模型解出了60道保留奥赛题中的41道。",
                "训练数据是经形式化验证器筛选的合成证明。",
                "权重和训练脚本以Apache 2.0协议发布。",
            ],
        },
        "paragraphs": [
            {
                "en": "The model solved 41 of 60 held-out problems, ahead of several systems ten times its size. The lab, which has four researchers and no outside funding, ran the evaluation twice with different random seeds.",
                "zh": "该模型解出了60道保留题目中的41道，领先于数个规模是它十倍的系统。这家只有四名研究人员、没有外部融资的实验室用不同随机种子把评测跑了两遍。",
            },
            {
                "en": "Its training data came almost entirely from synthetic proofs. A formal verifier rejected any proof it could not check, which the authors say removed most of the confident nonsense smaller models are known for.",
                "zh": "它的训练数据几乎全部来自合成证明。形式化验证器会剔除任何无法检查的证明，作者称这去掉了小模型常见的大部分\u201c自信的胡说\u201d。",
            },
            {
                "en": "Outside researchers were cautious. Olympiad problems reward a narrow kind of reasoning, one said, and a benchmark of sixty questions can move several points on a lucky run.",
                "zh": "外部研究人员态度谨慎。一位研究者说，奥赛题考验的是一种很窄的推理能力，而只有六十道题的基准，运气好时分数就能浮动好几个点。",
            },
            {
                "en": "The lab published its weights, its data pipeline and the exact prompts used for scoring, and invited others to rerun the test on problems written after the training cut-off.",
                "zh": "该实验室公开了模型权重、数据流程和评分所用的确切提示词，并邀请其他人用训练截止日期之后出的题目重新测试。",
            },
            {
                "en": "\u201cIf it falls apart on next year's paper, we want to know,\u201d the lab's founder wrote in the release notes.",
                "zh": "该实验室创始人在发布说明中写道：\u201c如果它在明年的试卷上露馅了，我们希望知道。\u201d",
            },
        ],
        "tags": ["Research", "Open models"],
        "author": "Tomás Ferreira",
        "published": "2026-11-19T13:05:00Z",
        "updated": "2026-11-19T13:05:00Z",
    },
    {
        "slug": "gpu-rental-prices-fall",
        "kind": "post",
        "extra": {"zh_slug": "gpu租赁价格下跌", "post_id": 491, "category": ("Industry", "产业")},
        "title": {
            "en": "GPU rental prices fell 40 percent this autumn. Here is why",
            "zh": "今年秋天GPU租赁价格下跌四成，原因在这里",
        },
        "dek": {
            "en": "New supply, shorter contracts and a pause in giant training runs all pushed the hourly rate down.",
            "zh": "新增供给、更短的合同期以及超大规模训练的暂停，共同压低了每小时租价。",
        },
        "tldr": {
            "en": [
                "Hourly rates for top data-centre GPUs fell about 40% since August.",
                "Several new clusters came online at once.",
                "Buyers now favour month-long contracts over multi-year deals.",
            ],
            "zh": [
                "顶级数据中心GPU的小时租价自八月以来下跌约四成。",
                "多个新集群同时上线。",
                "买家如今更青睐按月合同，而非多年期协议。",
            ],
        },
        "paragraphs": [
            {
                "en": "Brokers who match idle clusters with customers say the typical hourly rate for a top data-centre GPU dropped by roughly 40 percent between August and November.",
                "zh": "为闲置集群和客户牵线的经纪商表示，从八月到十一月，顶级数据中心GPU的典型小时租价下跌了大约四成。",
            },
            {
                "en": "Part of the fall is simple supply. Several clusters ordered during last year's shortage were switched on within weeks of one another, and their owners need tenants to cover loan payments.",
                "zh": "部分原因只是供给增加。去年短缺期间订购的几个集群在几周内相继启用，而它们的所有者需要租户来偿还贷款。",
            },
            {
                "en": "Demand has also changed shape. Fewer companies are training frontier-scale models from scratch; more are fine-tuning or serving existing ones, work that can be split across cheaper, shorter rentals.",
                "zh": "需求的形态也变了。从头训练前沿规模模型的公司少了，更多公司在做微调或部署现有模型，而这类工作可以拆分到更便宜、更短期的租用上。",
            },
            {
                "en": "Not everyone benefits. Smaller hosting firms that signed fixed-price leases for their own hardware are now renting it out below cost, and at least two have paused expansion plans.",
                "zh": "并非所有人都受益。那些为自有硬件签了固定价格租约的小型托管公司，如今只能低于成本出租，至少有两家已暂停扩张计划。",
            },
        ],
        "tags": ["Compute", "Markets"],
        "author": "Mei Lin",
        "published": "2026-11-19T22:40:00Z",
        "updated": "2026-11-19T22:40:00Z",
    },
    {
        "slug": "translators-union-contract",
        "kind": "post",
        "extra": {"zh_slug": "fanyi-gonghui-hetong", "post_id": 495, "category": ("Work", "职场")},
        "title": {
            "en": "Translators' union wins the first contract that prices machine-assisted work",
            "zh": "翻译工会赢得首份为机器辅助工作定价的合同",
        },
        "dek": {
            "en": "Post-editing will be paid by the hour rather than by the word, and clients must say when a draft came from a model.",
            "zh": "译后编辑将按小时而非按字计酬，客户还必须说明初稿是否出自模型。",
        },
        "tldr": {
            "en": [
                "Post-editing of machine drafts is paid by the hour.",
                "Clients must disclose machine-generated drafts.",
                "The deal covers about 2,300 freelance translators.",
            ],
            "zh": [
                "机器初稿的译后编辑按小时计酬。",
                "客户必须披露由机器生成的初稿。",
                "该协议覆盖约2300名自由译者。",
            ],
        },
        "paragraphs": [
            {
                "en": "The agreement, signed with a group of publishing and localisation agencies, covers roughly 2,300 freelance translators and takes effect in January.",
                "zh": "这份与一批出版和本地化机构签订的协议覆盖约2300名自由译者，将于一月生效。",
            },
            {
                "en": "Its central change is how post-editing is paid. Translators who correct a machine draft will bill by the hour, ending per-word rates that members said had fallen by half in three years.",
                "zh": "协议的核心变化在于译后编辑的计酬方式。修改机器初稿的译者将按小时收费，结束按字计价的做法；会员们说，按字价格在三年里已跌了一半。",
            },
            {
                "en": "Clients must also disclose when a draft came from a model. Several translators said they had been sent \u201cfresh\u201d texts that were plainly machine output, at machine-edit prices.",
                "zh": "客户还必须披露初稿是否出自模型。几位译者说，他们曾收到明显是机器输出的所谓\u201c新稿\u201d，却只按机器编辑的价格付费。",
            },
            {
                "en": "Agencies accepted the terms after a two-week work-to-rule in which members declined post-editing jobs. Both sides will review the rates after a year.",
                "zh": "在会员拒接译后编辑工作、持续两周的\u201c按章工作\u201d行动之后，各机构接受了这些条款。双方将在一年后重新评估费率。",
            },
        ],
        "tags": ["Labour", "Translation"],
        "author": "Anna Kowalczyk",
        "published": "2026-11-20T05:15:00Z",
        "updated": "2026-11-20T05:15:00Z",
    },
]

# (author, English comment, Chinese comment); shown oldest first, one more every 50 minutes.
COMMENTS = [
    (
        "Rosalind P.",
        "Thanks for writing this up, the numbers are hard to find elsewhere.",
        "感谢整理，这些数字在别处很难找到。",
    ),
    (
        "dev_ko",
        "Would love a follow-up in six months to see if this held.",
        "希望半年后能有后续报道，看看情况是否依旧。",
    ),
    ("Marguerite", "The quote in the third paragraph says it all.", "第三段的引语说明了一切。"),
    ("J. Okafor", "Is there a link to the original report?", "有原始报告的链接吗？"),
    (
        "lurker42",
        "Shared this with my team, good discussion starter.",
        "已分享给团队，是个不错的讨论话题。",
    ),
    ("Hu Wen", "Same thing is happening where I work.", "我工作的地方也在发生同样的事。"),
    (
        "pat",
        "Minor nit: the chart in the newsletter had the axis flipped.",
        "小问题：简报里的图表坐标轴画反了。",
    ),
    ("Sergei V.", "Good piece. Subscribed.", "好文章，已订阅。"),
]
