"""Stories of "Daily Circuit 电路日报", a paper that serves every story as a normal page and
an AMP page (English text, then the Chinese edition below it)."""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "airline-ai-rebooking-storm",
        "kind": "story",
        "title": {
            "en": "An airline let an AI agent rebook passengers during a winter storm. It mostly worked",
            "zh": "航空公司在冬季暴风雪期间让AI智能体为旅客改签，效果大体不错",
        },
        "dek": {
            "en": "About 38,000 travellers were moved to new flights by the agent over two days; 4 percent needed a human.",
            "zh": "两天内约3.8万名旅客由该智能体改签，其中4%需要人工处理。",
        },
        "tldr": {
            "en": [
                "The agent handled rebooking for about 38,000 passengers.",
                "Four percent of cases were handed to human agents.",
                "Families travelling together were the hardest cases.",
            ],
            "zh": [
                "该智能体为约3.8万名旅客办理了改签。",
                "4%的情况转交人工客服处理。",
                "结伴出行的家庭是最难处理的情况。",
            ],
        },
        "paragraphs": [
            {
                "en": "When a storm cancelled more than 400 flights over two days, the airline routed rebooking requests through an AI agent that could search inventory, issue tickets and send vouchers.",
                "zh": "一场暴风雪在两天内导致400多个航班取消，这家航空公司把改签请求交给一个AI智能体处理，它可以查询余票、出票并发放代金券。",
            },
            {
                "en": "The agent moved about 38,000 travellers to new flights. Four percent of conversations were handed to human staff, most often when a family needed to stay together on a full aircraft.",
                "zh": "该智能体为约3.8万名旅客改签了新航班。4%的对话被转交给人工客服，最常见的情况是一家人需要在满座的航班上坐在一起。",
            },
            {
                "en": "Waiting times on the phone line, which peaked at six hours during a similar storm last year, stayed under forty minutes.",
                "zh": "去年一场类似风暴期间，电话热线的等待时间最长达六小时，这次则一直保持在四十分钟以内。",
            },
            {
                "en": "Consumer groups said the airline should publish how the agent decides who gets the scarce seats first.",
                "zh": "消费者团体表示，航空公司应公开该智能体如何决定谁先获得稀缺座位。",
            },
        ],
        "tags": ["Travel", "Agents"],
        "author": "Grace Mwangi",
        "published": "2026-11-19T09:45:00Z",
        "updated": "2026-11-19T09:45:00Z",
    },
    {
        "slug": "court-admits-chatbot-transcript",
        "kind": "story",
        "title": {
            "en": "A court rules that a chatbot conversation can be used as evidence",
            "zh": "法院裁定聊天机器人对话记录可作为证据",
        },
        "dek": {
            "en": "The judge accepted an exported transcript after the provider confirmed its logs matched.",
            "zh": "在服务商确认其日志一致后，法官采纳了导出的对话记录。",
        },
        "tldr": {
            "en": [
                "A commercial court admitted an exported chatbot transcript.",
                "The provider's server logs were used to authenticate it.",
                "Lawyers expect more disputes over what a model said.",
            ],
            "zh": [
                "一家商事法院采纳了导出的聊天机器人对话记录。",
                "服务商的服务器日志被用于验证其真实性。",
                "律师预计围绕模型说过什么的纠纷将会增多。",
            ],
        },
        "paragraphs": [
            {
                "en": "The case concerns a supplier who says a retailer's procurement chatbot agreed to a price the retailer later refused to honour.",
                "zh": "本案涉及一家供应商，它称某零售商的采购聊天机器人同意了一个价格，而该零售商后来拒绝履行。",
            },
            {
                "en": "The retailer argued that a screenshot could be faked. The judge admitted the transcript after the chatbot's provider confirmed that its server logs matched the exported conversation.",
                "zh": "零售商辩称截图可以伪造。在聊天机器人服务商确认其服务器日志与导出的对话一致后，法官采纳了这份记录。",
            },
            {
                "en": "The ruling does not decide whether the chatbot's promise binds the retailer; that question goes to trial next spring.",
                "zh": "该裁定并未决定聊天机器人的承诺是否对零售商具有约束力，这一问题将在明年春天开庭审理。",
            },
            {
                "en": "Lawyers said companies deploying such bots should keep complete logs and state clearly what a bot may and may not agree to.",
                "zh": "律师表示，部署此类机器人的公司应保存完整日志，并明确说明机器人可以同意和不可以同意的事项。",
            },
        ],
        "tags": ["Law", "Chatbots"],
        "author": "Henrik Dahl",
        "published": "2026-11-19T16:20:00Z",
        "updated": "2026-11-19T16:20:00Z",
    },
    {
        "slug": "open-speech-model-40-languages",
        "kind": "story",
        "title": {
            "en": "An open-source speech model adds 40 low-resource languages",
            "zh": "开源语音模型新增40种低资源语言",
        },
        "dek": {
            "en": "Community recordings, not scraped video, supplied most of the new training audio.",
            "zh": "新增训练音频大多来自社区录音，而非抓取的视频。",
        },
        "tldr": {
            "en": [
                "The release adds recognition for 40 languages with few online recordings.",
                "Volunteers recorded about 9,000 hours of speech.",
                "Word error rates remain high for tonal languages.",
            ],
            "zh": [
                "新版本增加了对40种网上录音稀少的语言的识别。",
                "志愿者录制了约9000小时的语音。",
                "声调语言的词错误率仍然较高。",
            ],
        },
        "paragraphs": [
            {
                "en": "The new release recognises speech in 40 more languages, most of them spoken by fewer than five million people and rarely heard in online video.",
                "zh": "新版本可以识别另外40种语言，其中大多数的使用者不足五百万，在网络视频中也很少听到。",
            },
            {
                "en": "Instead of scraping, the project paid community groups to record readings and conversations, gathering about 9,000 hours with a consent form for every speaker.",
                "zh": "该项目没有抓取数据，而是付费请社区团体录制朗读和对话，共收集了约9000小时的语音，每位说话人都签署了同意书。",
            },
            {
                "en": "Accuracy varies widely. Word error rates for several tonal languages are still above 30 percent, which the maintainers call usable for search but not for subtitles.",
                "zh": "准确率差异很大。几种声调语言的词错误率仍高于30%，维护者称这可以用于搜索，但还不能用于字幕。",
            },
            {
                "en": "Recordings and transcripts are published under a licence that lets the communities withdraw their data later.",
                "zh": "录音和转写文本以一种允许社区日后撤回数据的许可证发布。",
            },
        ],
        "tags": ["Speech", "Open source"],
        "author": "Grace Mwangi",
        "published": "2026-11-19T23:55:00Z",
        "updated": "2026-11-19T23:55:00Z",
    },
    {
        "slug": "regulator-data-centre-hourly-power",
        "kind": "story",
        "title": {
            "en": "Energy regulator asks data centres to publish their hourly power use",
            "zh": "能源监管机构要求数据中心公布每小时用电量",
        },
        "dek": {
            "en": "Grid operators say they cannot plan for AI demand they cannot see.",
            "zh": "电网运营方表示，看不到的AI用电需求他们无法规划。",
        },
        "tldr": {
            "en": [
                "Sites above 20 MW would report hourly consumption.",
                "Data would be published with a three-month delay.",
                "Operators warn the figures could reveal customers' plans.",
            ],
            "zh": [
                "20兆瓦以上的站点需报告每小时用电量。",
                "数据将延迟三个月公布。",
                "运营商警告这些数字可能泄露客户计划。",
            ],
        },
        "paragraphs": [
            {
                "en": "Under the draft rule, any data centre drawing more than 20 megawatts would report its consumption hour by hour, and the regulator would publish the figures three months later.",
                "zh": "根据规则草案，任何用电超过20兆瓦的数据中心都要逐小时报告用电量，监管机构将在三个月后公布这些数据。",
            },
            {
                "en": "Grid operators have pushed for the data for a year. They say requests to connect new AI campuses now exceed the region's entire current peak demand.",
                "zh": "电网运营方为获取这些数据已争取了一年。他们说，新AI园区的接入申请如今已超过该地区目前的全部峰值需求。",
            },
            {
                "en": "Data-centre operators oppose hourly detail, arguing that it could reveal when customers start large training runs.",
                "zh": "数据中心运营商反对公布逐小时的细节，认为这可能暴露客户何时开始大规模训练。",
            },
            {
                "en": "Consumer advocates want the rule to go further and cover sites still under construction. The consultation closes in February.",
                "zh": "消费者权益倡导者希望规则更进一步，把在建站点也纳入其中。征求意见将于二月截止。",
            },
        ],
        "tags": ["Energy", "Data centres"],
        "author": "Henrik Dahl",
        "published": "2026-11-20T06:10:00Z",
        "updated": "2026-11-20T06:10:00Z",
    },
]

SPONSORS = [
    "Sponsored: Cut cloud costs with spot GPUs — start free",
    "Sponsored: The AI security summit, 12–13 March. Early-bird ends Friday",
    "Sponsored: Meet the vector database built for production",
    "Sponsored: Learn prompt engineering in 6 weeks",
]
