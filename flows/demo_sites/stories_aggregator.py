"""Story data for the demo aggregator (modelled on a bilingual AI-news aggregator page).

Plain data, no logic: each dict becomes a ``model.Story``.  Times are UTC; the site clock
starts at 2026-11-20T08:00:00Z, so a story published at 2026-11-19T22:00Z reads "10h ago".
The text is written for these tests; it only imitates the shape of the seed page.
"""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

from .stories_translated import STORIES as _TRANSLATED


def _copied_paragraphs(slug: str) -> list[dict[str, str]]:
    """The body of a translated-site article, for the syndicated copy (a snapshot: later
    edits on either site do not propagate, as with real syndication)."""
    (source,) = [s for s in _TRANSLATED if s["slug"] == slug]
    return [dict(p) for p in source["paragraphs"]]


STORIES = [
    {
        "slug": "agi-era-governance",
        "kind": "story",
        "title": {
            "en": "Welcome to the AGI era of AI governance",
            "zh": "欢迎来到AI治理的“AGI时代”",
        },
        "dek": {
            "en": "Washington ordered a frontier lab to pull its newest model from foreign users, "
            "and the way it happened says more than the order itself.",
            "zh": "华盛顿要求一家前沿实验室对外国用户下线其最新模型，事件的经过比命令本身更值得关注。",
        },
        "tldr": {
            "en": [
                "The US government made a frontier lab suspend foreign access to its newest model.",
                "A cloud partner reportedly alerted the White House to a narrow jailbreak risk.",
                "The author says years of apocalyptic safety messaging invited this response.",
                "The episode is framed as the opening move of politicised 'AGI era' governance.",
            ],
            "zh": [
                "美国政府要求一家前沿实验室暂停外国用户对其最新模型的访问。",
                "据报道，其云计算合作伙伴向白宫通报了一个范围很窄的越狱风险。",
                "作者认为，多年来的末日式安全宣传招来了这种回应。",
                "此事被视为政治化“AGI时代”治理的开端。",
            ],
        },
        "key_data": [
            ["US government", "Ordered foreign access suspended", "After market close"],
            ["Frontier lab", "Paused its newest flagship model", "2 model variants"],
            ["Cloud partner", "Raised the jailbreak concern", "Role: risk source"],
        ],
        "paragraphs": [
            {
                "en": "The shutdown is less a regulatory hiccup than a collision between a "
                "ship-it culture and the blunt tools of state power. The jailbreak that "
                "triggered it is almost beside the point: every model has some.",
                "zh": "这次下线与其说是一次监管波折，不如说是“快速发布”文化与国家权力钝器的正面碰撞。"
                "引发此事的越狱漏洞几乎无关紧要——每个模型都会有漏洞。",
            },
            {
                "en": "The contradiction is hard to miss. The administration wants American "
                "labs to lead, yet it is cutting them off from the global talent and "
                "customers that leadership depends on.",
                "zh": "其中的矛盾显而易见：政府希望美国实验室保持领先，却切断了维持领先所依赖的"
                "全球人才与客户。",
            },
            {
                "en": "Open-source advocates are cheering, but a government willing to switch "
                "off a closed model overnight may be harsher still with open weights.",
                "zh": "开源拥护者在欢呼，但一个愿意在一夜之间关停闭源模型的政府，"
                "对开放权重模型可能会更加严厉。",
            },
            {
                "en": "Expect this to repeat: each jump in capability will set off another "
                "round of improvised, political governance until clear rules exist.",
                "zh": "预计这种情况还会重演：在明确规则出台之前，每一次能力跃升都会引发"
                "新一轮临时性的政治化治理。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Is the suspension permanent?", "zh": "这次暂停是永久性的吗？"},
                "a": {
                    "en": "Probably not; a re-release under stricter conditions is expected.",
                    "zh": "可能不是，预计模型会在更严格的条件下重新发布。",
                },
            },
            {
                "q": {
                    "en": "Why did the partner go to the White House?",
                    "zh": "合作伙伴为何直接找上白宫？",
                },
                "a": {
                    "en": "Most likely to limit its own liability; the motive is unconfirmed.",
                    "zh": "最可能是为了规避自身责任，但动机尚未得到证实。",
                },
            },
        ],
        "tags": ["Claude", "Agent", "Policy"],
        "author": "AI News Desk",
        "scores": [80, 75, 70],
        "published": "2026-11-19T22:00:00Z",
        "updated": "2026-11-20T06:00:00Z",
    },
    {
        "slug": "live-agents",
        "kind": "live",
        "title": {
            "en": "Live: browser agents roll out to millions of users",
            "zh": "直播：浏览器智能体向数百万用户推送",
        },
        "dek": {
            "en": "Running coverage of the first mass rollout of agents that click and type.",
            "zh": "持续报道首次大规模推送会点击、会输入的智能体。",
        },
        "tldr": {
            "en": [
                "Two assistants can now operate a web browser on the user's behalf.",
                "Early testers report failures on captchas and multi-step checkouts.",
                "Security teams warn about prompt injection hidden in web pages.",
            ],
            "zh": [
                "两款助手现在可以代表用户操作网页浏览器。",
                "早期测试者反映其在验证码和多步骤结账流程中频频失败。",
                "安全团队警告网页中可能隐藏提示词注入攻击。",
            ],
        },
        "key_data": [
            ["Rollout", "Staged by region", "10% of users on day one"],
            ["Task success", "Internal benchmark", "61% of web tasks"],
        ],
        "paragraphs": [
            {
                "en": "The rollout began at 09:00 Pacific time and is expanding by region. "
                "Users see a new 'Do it for me' button next to the chat box.",
                "zh": "推送于太平洋时间上午9点开始，并按地区逐步扩大。"
                "用户会在聊天框旁看到一个新的“替我完成”按钮。",
            },
            {
                "en": "Researchers showed that a hidden instruction in a product review could "
                "redirect an agent to a different shop. The vendor says a fix is deployed.",
                "zh": "研究人员演示了商品评论中的隐藏指令可以把智能体引向另一家商店。"
                "厂商表示已部署修复。",
            },
            {
                "en": "Analysts expect agent traffic to change how publishers count readers, "
                "since an agent visit may never render an advertisement.",
                "zh": "分析人士预计，智能体流量将改变出版商统计读者的方式，"
                "因为智能体访问可能根本不会渲染广告。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Can I turn the agent off?", "zh": "可以关闭智能体吗？"},
                "a": {
                    "en": "Yes, in settings under 'Agent mode'.",
                    "zh": "可以，在设置的“智能体模式”中关闭。",
                },
            }
        ],
        "tags": ["Agent", "Browser", "Security"],
        "author": "Live Desk",
        "scores": [91, 68, 77],
        "published": "2026-11-20T05:30:00Z",
        "updated": "2026-11-20T07:40:00Z",
    },
    {
        "slug": "open-weights-coding-leader",
        "kind": "story",
        "title": {
            "en": "An open-weight reasoning model tops the coding leaderboard",
            "zh": "开放权重推理模型登顶编程排行榜",
        },
        "dek": {
            "en": "For the first time a downloadable model beats every API model on the "
            "hardest coding benchmark.",
            "zh": "可下载模型首次在最难的编程基准上击败所有API模型。",
        },
        "tldr": {
            "en": [
                "A 120B-parameter open-weight model scored first on a repository-level benchmark.",
                "Its licence allows commercial use with an acceptable-use policy.",
                "Closed labs question whether the test set leaked into training data.",
            ],
            "zh": [
                "一款1200亿参数的开放权重模型在仓库级基准测试中排名第一。",
                "其许可证允许商业使用，但附带可接受使用政策。",
                "闭源实验室质疑测试集是否泄漏进了训练数据。",
            ],
        },
        "key_data": [
            ["Parameters", "Mixture of experts", "120B total / 12B active"],
            ["Benchmark", "Repository-level fixes", "71.4% solved"],
            ["Licence", "Commercial use allowed", "AUP attached"],
        ],
        "paragraphs": [
            {
                "en": "The gap between open and closed models has narrowed for two years; on "
                "coding it has now closed, at least on paper.",
                "zh": "两年来开放模型与闭源模型之间的差距不断缩小；在编程领域，"
                "至少从纸面上看，差距已经消失。",
            },
            {
                "en": "Self-hosting still costs real money: serving the model at usable speed "
                "needs eight high-memory accelerators.",
                "zh": "自行部署依然成本不菲：要以可用的速度运行该模型，需要八块大显存加速卡。",
            },
            {
                "en": "Enterprises that could not send source code to an outside API now have "
                "a credible option, which may matter more than the ranking itself.",
                "zh": "对于无法把源代码发送给外部API的企业来说，现在有了一个可信的选择，"
                "这也许比排名本身更重要。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Can I run it on a laptop?", "zh": "能在笔记本电脑上运行吗？"},
                "a": {
                    "en": "Only heavily quantised versions, with lower quality.",
                    "zh": "只能运行经过大幅量化的版本，质量会下降。",
                },
            }
        ],
        "tags": ["Open Source", "Coding", "Benchmark"],
        "author": "Mei Lin",
        "scores": [77, 82, 74],
        "published": "2026-11-20T01:15:00Z",
    },
    {
        "slug": "cloud-export-battleground",
        "kind": "story",
        "title": {
            "en": "Cloud access becomes the new export-control battleground",
            "zh": "云端访问成为出口管制的新战场",
        },
        "dek": {
            "en": "Chips were the first front. Remote access to models is the second.",
            "zh": "芯片是第一条战线，对模型的远程访问是第二条。",
        },
        "tldr": {
            "en": [
                "A Senate bill would treat remote model access like an export.",
                "Cloud providers would have to verify the nationality of some customers.",
                "Industry groups say the rule is unworkable for consumer chatbots.",
            ],
            "zh": [
                "参议院一项法案拟将远程访问模型视同出口。",
                "云服务商将被要求核实部分客户的国籍。",
                "行业团体称该规则对面向消费者的聊天机器人不可行。",
            ],
        },
        "key_data": [
            ["Senate bill", "Covers remote access", "Committee stage"],
            ["Threshold", "Training compute", "10^26 FLOP"],
        ],
        "paragraphs": [
            {
                "en": "Export controls were built for things that cross a border in a box. "
                "A chatbot answer does not fit that picture, which is why lawmakers want to "
                "rewrite the definition.",
                "zh": "出口管制是为装箱跨境的货物设计的。聊天机器人的回答并不符合这一图景，"
                "这正是立法者想要改写定义的原因。",
            },
            {
                "en": "Providers fear know-your-customer checks at sign-up would push casual "
                "users to foreign competitors.",
                "zh": "服务商担心注册时的“了解你的客户”核查会把普通用户推向外国竞争对手。",
            },
            {
                "en": "Supporters answer that without such rules, chip controls can be "
                "bypassed by simply renting compute abroad.",
                "zh": "支持者则回应说，如果没有此类规则，只需在海外租用算力就能绕过芯片管制。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Does this affect API developers?", "zh": "这会影响API开发者吗？"},
                "a": {
                    "en": "Only for models above the compute threshold.",
                    "zh": "只影响超过算力门槛的模型。",
                },
            }
        ],
        "tags": ["Policy", "Export Control", "Cloud"],
        "author": "Daniel Ortiz",
        "scores": [72, 79, 81],
        "published": "2026-11-19T18:20:00Z",
        "updated": "2026-11-19T21:00:00Z",
    },
    {
        "slug": "eu-gpai-audit-guidance",
        "kind": "story",
        "title": {
            "en": "EU publishes its first audit guidance for general-purpose models",
            "zh": "欧盟发布首份通用模型审计指南",
        },
        "dek": {
            "en": "The AI Office spells out what 'systemic risk' evaluations must contain.",
            "zh": "欧盟人工智能办公室阐明了“系统性风险”评估必须包含的内容。",
        },
        "tldr": {
            "en": [
                "Providers of large models must document red-teaming and incident reporting.",
                "Third-party auditors need access to model weights or equivalent.",
                "Fines reach 3% of global turnover for non-compliance.",
            ],
            "zh": [
                "大模型提供方必须记录红队测试和事件报告。",
                "第三方审计方需要获得模型权重或同等访问权限。",
                "违规罚款最高可达全球营业额的3%。",
            ],
        },
        "key_data": [
            ["AI Office", "Guidance published", "84 pages"],
            ["Penalty", "Share of turnover", "up to 3%"],
        ],
        "paragraphs": [
            {
                "en": "The document is guidance, not law, but auditors will treat it as the "
                "checklist, which makes it the de facto standard.",
                "zh": "这份文件是指南而非法律，但审计方会把它当作检查清单，因此它实际上就是标准。",
            },
            {
                "en": "Smaller labs worry about the cost of external audits; the Office "
                "promises a simplified track for open-weight releases.",
                "zh": "较小的实验室担心外部审计的成本；该办公室承诺为开放权重发布提供简化流程。",
            },
        ],
        "faq": [
            {
                "q": {"en": "When does it apply?", "zh": "何时生效？"},
                "a": {
                    "en": "Audits are expected from next August.",
                    "zh": "预计从明年八月开始审计。",
                },
            }
        ],
        "tags": ["EU", "Regulation", "Audit"],
        "author": "Sophie Martin",
        "scores": [64, 85, 78],
        "published": "2026-11-19T12:00:00Z",
    },
    {
        "slug": "datacenter-power-deals",
        "kind": "story",
        "title": {
            "en": "Power deals, not chips, now set the pace of the AI build-out",
            "zh": "决定AI基建速度的不再是芯片，而是电力协议",
        },
        "dek": {
            "en": "Grid connections take years; labs are signing for reactors and turbines.",
            "zh": "并网需要数年，实验室纷纷签约核反应堆和燃气轮机。",
        },
        "tldr": {
            "en": [
                "Three labs signed long-term power purchase agreements this quarter.",
                "Grid interconnection queues exceed four years in key US regions.",
                "On-site gas turbines are the stopgap of choice, raising emissions.",
            ],
            "zh": [
                "本季度有三家实验室签署了长期购电协议。",
                "美国重点地区的并网排队时间超过四年。",
                "现场燃气轮机成为首选的权宜之计，导致排放上升。",
            ],
        },
        "key_data": [
            ["New campus", "Planned capacity", "1.2 GW"],
            ["Grid queue", "Median wait", "4.3 years"],
            ["Turbines", "On-site stopgap", "350 MW"],
        ],
        "paragraphs": [
            {
                "en": "A year ago the bottleneck was accelerators. Today operators say they "
                "have chips sitting in warehouses waiting for electricity.",
                "zh": "一年前瓶颈还是加速芯片；如今运营商表示，他们的芯片正躺在仓库里等电。",
            },
            {
                "en": "Utilities are asking data centres to pay for grid upgrades up front, "
                "shifting risk from households to hyperscalers.",
                "zh": "电力公司要求数据中心预先支付电网升级费用，把风险从居民用户转移给了超大规模企业。",
            },
            {
                "en": "The climate pledges of the same companies have quietly moved from 2030 "
                "to 'the 2030s'.",
                "zh": "这些公司的气候承诺已悄然从“2030年”变成了“2030年代”。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Will this raise electricity prices?", "zh": "这会推高电价吗？"},
                "a": {
                    "en": "Regulators in two states are already reviewing tariffs.",
                    "zh": "已有两个州的监管机构在审查电价。",
                },
            }
        ],
        "tags": ["Infrastructure", "Energy"],
        "author": "Priya Raman",
        "scores": [69, 73, 83],
        "published": "2026-11-19T08:45:00Z",
    },
    {
        "slug": "on-device-assistants",
        "kind": "story",
        "title": {
            "en": "Small models on phones: on-device assistants get serious",
            "zh": "手机上的小模型：端侧助手开始动真格",
        },
        "dek": {
            "en": "A 3B-parameter model now handles most requests without the cloud.",
            "zh": "一个30亿参数的模型现在无需云端即可处理大多数请求。",
        },
        "tldr": {
            "en": [
                "New phones ship with a 3B model that runs fully offline.",
                "Vendors claim 80% of assistant requests never leave the device.",
                "Battery cost is the main complaint in early reviews.",
            ],
            "zh": [
                "新款手机内置可完全离线运行的30亿参数模型。",
                "厂商声称80%的助手请求不会离开设备。",
                "早期评测的主要抱怨是耗电。",
            ],
        },
        "key_data": [
            ["Model size", "Quantised to 4 bits", "3B parameters"],
            ["Offline share", "Vendor claim", "80% of requests"],
        ],
        "paragraphs": [
            {
                "en": "Privacy is the selling point: messages and photos are summarised "
                "without being uploaded.",
                "zh": "隐私是卖点：消息和照片无需上传即可完成摘要。",
            },
            {
                "en": "The hard cases, long documents and web research, still go to a server, "
                "and users are not always told when that happens.",
                "zh": "长文档和网络检索等困难任务仍然会交给服务器处理，而用户并不总会被告知。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Which phones get it?", "zh": "哪些手机支持？"},
                "a": {
                    "en": "Flagships from this year with 12 GB of memory or more.",
                    "zh": "今年内存12GB及以上的旗舰机型。",
                },
            }
        ],
        "tags": ["On-device", "Mobile"],
        "author": "Kenji Watanabe",
        "scores": [58, 71, 62],
        "published": "2026-11-19T03:10:00Z",
    },
    {
        # A syndicated copy of the translated site's "chatbot-ads-backlash": the same body
        # paragraphs (both languages) inside this site's own chrome, title prefix, TL;DR,
        # key data and FAQ, and no canonical link to the original.
        "slug": "syndicated-chatbot-ads",
        "kind": "story",
        "title": {
            "en": "Syndicated: Chatbots have started showing ads, and users noticed",
            "zh": "转载：聊天机器人开始投放广告，用户注意到了",
        },
        "dek": {
            "en": "From our partner desk: sponsored answers reach free chatbot users.",
            "zh": "来自合作媒体：免费版聊天机器人用户开始看到赞助回答。",
        },
        "tldr": {
            "en": [
                "Two assistants now show labelled ad cards in their free tiers.",
                "A small test linked brand mentions to ad purchases.",
                "Paying users get an ad-free experience.",
            ],
            "zh": [
                "两款助手的免费版现在会显示带标签的广告卡片。",
                "一项小规模测试发现品牌提及与广告购买存在关联。",
                "付费用户可享受无广告体验。",
            ],
        },
        "key_data": [
            ["Ad format", "Labelled cards under answers", "Free tier only"],
            ["Brand test", "Shopping questions", "Small sample"],
        ],
        "paragraphs": _copied_paragraphs("chatbot-ads-backlash"),
        "faq": [
            {
                "q": {"en": "Do ads change the answers?", "zh": "广告会改变回答吗？"},
                "a": {
                    "en": "The companies say no; researchers are sceptical.",
                    "zh": "公司称不会，研究人员对此持怀疑态度。",
                },
            }
        ],
        "tags": ["Advertising", "Chatbots", "Syndicated"],
        "author": "Partner Desk",
        "scores": [66, 70, 64],
        "published": "2026-11-19T07:00:00Z",
    },
    {
        # Same event as "chatbot-ads-backlash" (ads in chatbots), some shared phrases, but a
        # different story: near-duplicate detection must NOT pair the two.
        "slug": "chatbot-ads-analysis",
        "kind": "story",
        "title": {
            "en": "Ad-funded chatbots face a trust test",
            "zh": "靠广告养活的聊天机器人面临信任考验",
        },
        "dek": {
            "en": "Advertisers want sponsored answers; regulators want to know where the ad "
            "ends and the answer begins.",
            "zh": "广告主想要赞助回答，监管机构则想知道广告在哪里结束、回答从哪里开始。",
        },
        "tldr": {
            "en": [
                "Media buyers are budgeting for ads inside chatbot answers.",
                "Consumer groups doubt that labels alone keep answers neutral.",
                "Regulators want audits of how ranking and ad sales are kept apart.",
            ],
            "zh": [
                "媒体采购方正在为聊天机器人回答中的广告编制预算。",
                "消费者团体怀疑仅靠标签无法保证回答中立。",
                "监管机构希望审计排序与广告销售如何分离。",
            ],
        },
        "key_data": [
            ["Ad placements", "Free tiers of two assistants", "2 products"],
            ["Regulators", "Questions sent to both companies", "Brussels, Washington"],
        ],
        "paragraphs": [
            {
                "en": "Advertising inside chatbots is no longer an experiment. After two major "
                "assistants put sponsored answers into their free tiers, media buyers are "
                "drawing up budgets for conversational ads.",
                "zh": "聊天机器人内的广告已不再是试验。两大主流助手把赞助回答放进免费版之后，"
                "媒体采购方正在为对话式广告编制预算。",
            },
            {
                "en": "Consumer groups ask the harder question: whether labelled cards are "
                "enough when the model itself decides which brands to name in shopping "
                "questions.",
                "zh": "消费者团体提出了更难回答的问题：当模型本身决定在购物类问题中提到哪些品牌时，"
                "带标签的卡片是否足够。",
            },
            {
                "en": "Regulators in Brussels and Washington have asked both companies how "
                "ranking and ad sales are kept apart, and want audits rather than promises.",
                "zh": "布鲁塞尔和华盛顿的监管机构已询问两家公司如何把排序与广告销售分开，"
                "并希望看到审计而非承诺。",
            },
            {
                "en": "The business case is plain: inference is expensive, and only a small "
                "share of users become paid subscribers. Ads pay for everyone else.",
                "zh": "商业逻辑很简单：推理成本高昂，只有一小部分用户会成为付费订阅者，"
                "广告为其余所有人买单。",
            },
        ],
        "faq": [
            {
                "q": {"en": "Will paid plans show ads too?", "zh": "付费版也会有广告吗？"},
                "a": {
                    "en": "Neither company plans ads for paid subscribers.",
                    "zh": "两家公司都没有计划向付费订阅者展示广告。",
                },
            }
        ],
        "tags": ["Advertising", "Chatbots", "Regulation"],
        "author": "Mei Lin",
        "scores": [71, 77, 72],
        "published": "2026-11-19T14:30:00Z",
    },
    {
        "slug": "benchmark-contamination-audit",
        "kind": "story",
        "draft": True,
        "title": {
            "en": "Audit finds benchmark contamination in three top models",
            "zh": "审计发现三款顶级模型存在基准测试污染",
        },
        "dek": {
            "en": "Researchers recovered test questions verbatim from model outputs.",
            "zh": "研究人员从模型输出中逐字复原出了测试题。",
        },
        "tldr": {
            "en": [
                "Independent researchers probed ten models for memorised test items.",
                "Three reproduced hidden test answers word for word.",
            ],
            "zh": [
                "独立研究人员检测了十个模型是否记住了测试题。",
                "其中三个模型逐字复现了隐藏测试集的答案。",
            ],
        },
        "key_data": [["Models probed", "Closed and open", "10"]],
        "paragraphs": [
            {
                "en": "The researchers used canary strings planted in the benchmark to "
                "detect leakage.",
                "zh": "研究人员利用埋在基准测试中的“金丝雀字符串”来检测泄漏。",
            },
            {
                "en": "All three vendors dispute the method but have not released their "
                "training data.",
                "zh": "三家厂商均对该方法提出异议，但都没有公开训练数据。",
            },
        ],
        "faq": [],
        "tags": ["Benchmark", "Research"],
        "author": "AI News Desk",
        "scores": [74, 80, 69],
        "published": "2026-11-20T08:00:00Z",
    },
]

# Pages under /fault/ reuse this generic story once their fault has been served.
FAULT_STORY = {
    "kind": "fault",
    "title": {
        "en": "Model release notes: what changed this week",
        "zh": "模型更新说明：本周有哪些变化",
    },
    "dek": {
        "en": "A routine roundup used by the fault pages.",
        "zh": "故障测试页面使用的常规汇总。",
    },
    "tldr": {
        "en": ["Two labs shipped minor model updates.", "Pricing stayed flat."],
        "zh": ["两家实验室发布了小版本模型更新。", "价格保持不变。"],
    },
    "key_data": [["Updates", "Minor releases", "2"]],
    "paragraphs": [
        {
            "en": "Release notes this week were short: context windows grew and prices held.",
            "zh": "本周的更新说明很简短：上下文窗口变长了，价格没变。",
        },
        {
            "en": "Developers mostly noticed faster tool calls.",
            "zh": "开发者最明显的感受是工具调用更快了。",
        },
    ],
    "faq": [],
    "tags": ["Roundup"],
    "author": "AI News Desk",
    "scores": [50, 60, 40],
    "published": "2026-11-19T06:00:00Z",
}
