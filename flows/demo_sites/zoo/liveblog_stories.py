"""Live blogs of "The Wire Desk 快讯台": each paragraph is one timestamped entry (``at``).

Entries are kept oldest first here and shown newest first on the page, the way live blogs
read.  Adding a paragraph through the edit API posts a new entry at the site clock's time.
"""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "ai-safety-summit-day-two",
        "kind": "live",
        "extra": {"date": "2026/nov/20", "block": "a1f3"},
        "title": {
            "en": "AI safety summit, day two: ministers argue over testing rules – live",
            "zh": "AI安全峰会第二天：各国部长争论测试规则——直播",
        },
        "dek": {
            "en": "Delegations are trying to agree on shared evaluation standards before a communiqué this evening.",
            "zh": "各代表团正试图在今晚发布公报前就共同评估标准达成一致。",
        },
        "tldr": {
            "en": [
                "Delegations are negotiating a shared pre-release testing text.",
                "Two countries want binding language; most prefer voluntary commitments.",
                "A final communiqué is expected this evening.",
            ],
            "zh": [
                "各代表团正在协商一份共同的发布前测试文本。",
                "两个国家希望采用有约束力的措辞，大多数国家倾向自愿承诺。",
                "最终公报预计今晚发布。",
            ],
        },
        "paragraphs": [
            {
                "at": "2026-11-20T06:05:00Z",
                "en": "Good morning. Day two opens with a closed session on pre-release testing, and journalists have been asked to leave the main hall.",
                "zh": "早上好。第二天以一场关于发布前测试的闭门会议开场，记者们被要求离开主会场。",
            },
            {
                "at": "2026-11-20T06:40:00Z",
                "en": "A draft text seen by reporters commits signatories to share evaluation results with an international panel, but leaves the thresholds blank.",
                "zh": "记者看到的一份草案文本承诺，签署方将与一个国际小组共享评估结果，但阈值部分仍为空白。",
            },
            {
                "at": "2026-11-20T07:15:00Z",
                "en": "Two delegations are pushing for binding language. Most others, including the host, prefer voluntary commitments reviewed after a year.",
                "zh": "两个代表团正在推动采用有约束力的措辞。包括东道主在内的大多数国家倾向于自愿承诺，并在一年后审议。",
            },
            {
                "at": "2026-11-20T07:48:00Z",
                "en": "Civil-society groups outside the venue handed out copies of an open letter asking for independent auditors to be named in the text.",
                "zh": "会场外的民间团体分发了一封公开信的副本，要求在文本中写明独立审计机构。",
            },
        ],
        "tags": ["Policy", "Safety"],
        "author": "Ruth Adeyemi",
        "published": "2026-11-20T06:00:00Z",
        "updated": "2026-11-20T07:48:00Z",
    },
    {
        "slug": "developer-conference-keynote",
        "kind": "live",
        "extra": {"date": "2026/nov/20", "block": "b7c2"},
        "title": {
            "en": "Developer conference keynote: new agent tools and a cheaper small model – live updates",
            "zh": "开发者大会主题演讲：新智能体工具和更便宜的小模型——实时更新",
        },
        "dek": {
            "en": "All the announcements from the main stage, as they happen.",
            "zh": "主舞台上的所有发布，实时呈现。",
        },
        "tldr": {
            "en": [
                "An agent toolkit enforces file and API permissions in the runtime.",
                "A cheaper small model ships in January.",
                "No on-device model was announced.",
            ],
            "zh": [
                "智能体工具包在运行时强制执行文件和接口权限。",
                "一款更便宜的小模型将于一月发布。",
                "未宣布端侧模型。",
            ],
        },
        "paragraphs": [
            {
                "at": "2026-11-20T05:30:00Z",
                "en": "The keynote is about to start. The hall holds roughly 5,000 people and the queue outside still stretches round the block.",
                "zh": "主题演讲即将开始。会场约可容纳5000人，外面的队伍仍然绕了整整一个街区。",
            },
            {
                "at": "2026-11-20T05:52:00Z",
                "en": "First announcement: an agent toolkit that lets developers define which files and APIs an agent may touch, enforced by the runtime rather than the prompt.",
                "zh": "第一项发布：一个智能体工具包，允许开发者规定智能体可以访问哪些文件和接口，由运行时而不是提示词来强制执行。",
            },
            {
                "at": "2026-11-20T06:20:00Z",
                "en": "A smaller model is coming in January at roughly a third of the current price, with a longer context window than its predecessor.",
                "zh": "一款更小的模型将于一月推出，价格约为现有型号的三分之一，上下文窗口也比上一代更长。",
            },
            {
                "at": "2026-11-20T06:55:00Z",
                "en": "No word yet on the on-device version many developers hoped for. A spokesperson said there is \u201cnothing to share today\u201d.",
                "zh": "许多开发者期待的端侧版本尚无消息。一位发言人说\u201c今天没有可以分享的内容\u201d。",
            },
        ],
        "tags": ["Developers", "Agents"],
        "author": "Kenji Watanabe",
        "published": "2026-11-20T05:25:00Z",
        "updated": "2026-11-20T06:55:00Z",
    },
    {
        "slug": "chip-export-hearing",
        "kind": "live",
        "extra": {"date": "2026/nov/20", "block": "c4d9"},
        "title": {
            "en": "Chip export hearing: lawmakers question officials about the cloud loophole – live",
            "zh": "芯片出口听证会：议员就云服务漏洞质询官员——直播",
        },
        "dek": {
            "en": "The committee wants to know why renting chips remotely escapes the rules on buying them.",
            "zh": "委员会想知道，为什么远程租用芯片可以绕开购买芯片的规定。",
        },
        "paragraphs": [
            {
                "at": "2026-11-20T04:10:00Z",
                "en": "The hearing has begun. The committee chair opened by asking why remote access to advanced chips through cloud services is not covered by current rules.",
                "zh": "听证会已经开始。委员会主席开场便问，为何通过云服务远程使用先进芯片不受现行规则约束。",
            },
            {
                "at": "2026-11-20T04:35:00Z",
                "en": "The commerce official said a proposal on cloud access is under interagency review and could be published \u201cin the coming months\u201d.",
                "zh": "商务官员表示，一项关于云访问的提案正在跨部门审议中，可能会在\u201c未来几个月内\u201d公布。",
            },
            {
                "at": "2026-11-20T05:05:00Z",
                "en": "Several members asked how enforcement would work when a customer rents capacity through a chain of resellers.",
                "zh": "几位议员追问，当客户通过层层转售商租用算力时，执法将如何进行。",
            },
            {
                "at": "2026-11-20T05:40:00Z",
                "en": "The hearing is in recess for thirty minutes after a vote was called on the floor.",
                "zh": "由于全体会议要进行表决，听证会休会三十分钟。",
            },
        ],
        "tags": ["Chips", "Export controls"],
        "author": "Ruth Adeyemi",
        "published": "2026-11-20T04:05:00Z",
        "updated": "2026-11-20T05:40:00Z",
    },
    {
        "slug": "chat-service-outage",
        "kind": "live",
        "extra": {"date": "2026/nov/20", "block": "e2f8"},
        "title": {
            "en": "Chat service outage after a model launch: what we know – live",
            "zh": "新模型发布后聊天服务宕机：我们所知道的——直播",
        },
        "dek": {
            "en": "Errors began about an hour after the new model became the default.",
            "zh": "新模型成为默认模型约一小时后开始出现错误。",
        },
        "paragraphs": [
            {
                "at": "2026-11-20T06:10:00Z",
                "en": "Users in several regions report errors when sending messages, about an hour after the new model became the default.",
                "zh": "新模型成为默认模型约一小时后，多个地区的用户报告发送消息时出错。",
            },
            {
                "at": "2026-11-20T06:25:00Z",
                "en": "The status page now lists a \u201cmajor outage\u201d for chat and the API. Image generation appears unaffected.",
                "zh": "状态页面现在显示聊天和接口出现\u201c重大故障\u201d，图像生成似乎未受影响。",
            },
            {
                "at": "2026-11-20T06:58:00Z",
                "en": "An engineer posted that a capacity change rolled out with the launch is being reverted.",
                "zh": "一名工程师发帖称，随发布一起上线的容量调整正在回滚。",
            },
            {
                "at": "2026-11-20T07:30:00Z",
                "en": "Error rates are falling. The company says most users should be able to send messages again, though responses may be slow.",
                "zh": "错误率正在下降。公司表示大多数用户应该已能重新发送消息，但回复可能较慢。",
            },
        ],
        "tags": ["Outages"],
        "author": "Kenji Watanabe",
        "published": "2026-11-20T06:08:00Z",
        "updated": "2026-11-20T07:30:00Z",
    },
]
