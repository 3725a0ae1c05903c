"""Story data for the demo translated-news site (modelled on a translated tech-news article).

Each English paragraph is followed on the page by its Chinese translation.  Kinds:
``article`` (interleaved page plus mobile variant), ``split`` (separate /en/ and /zh/ pages
linked by hreflang) and ``gbk`` (a Chinese-only page served as GBK bytes).  Times are UTC;
the site shows them in +08:00.  One story is scheduled in the future and one is a draft,
so tests can watch the clock or ``publish()`` change what is served.
"""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "frontier-lab-export-rules",
        "kind": "article",
        "title": {
            "en": "A frontier lab ran into export rules nobody can explain",
            "zh": "一家前沿实验室撞上了无人能解释的出口管制规则",
        },
        "dek": {
            "en": "Policing AI through sudden, unexplained orders cannot last, experts say.",
            "zh": "专家表示，靠突如其来、不加解释的命令来管理人工智能难以为继。",
        },
        "paragraphs": [
            {
                "en": "The company spent most of the week trying to bring its newest models "
                "back online after an order to cut off every foreign national, including "
                "its own staff inside the country.",
                "zh": "本周大部分时间，该公司都在设法让最新模型恢复上线。此前一项命令要求其切断"
                "所有外国公民的访问，连身处国内的自家员工也不例外。",
            },
            {
                "en": "\u201cAs far as I know, export controls have never been used to gate "
                "access to a model like this,\u201d one policy analyst said.",
                "zh": "一位政策分析师说：\u201c据我所知，出口管制从未被这样用来限制对模型的访问。\u201d",
            },
            {
                "en": "Export rules were written for things that can be shipped: hardware, "
                "source code, technical data. A hosted chatbot transfers none of them; "
                "users only receive answers.",
                "zh": "出口规则是为可以运输的东西制定的：硬件、源代码、技术数据。托管的聊天机器人"
                "并不转移其中任何一样，用户得到的只是回答。",
            },
            {
                "en": "That leaves every other lab guessing. If capability triggered the "
                "order, the next model from anyone is at risk; if safeguards did, the "
                "government has not said which ones would be enough.",
                "zh": "这让其他实验室只能靠猜。如果触发命令的是能力，那么任何公司的下一个模型都有风险；"
                "如果是安全措施的问题，政府也没有说明怎样的措施才算足够。",
            },
            {
                "en": "\u201cIf an unjailbreakable model becomes the bar, the country will have "
                "no models at all,\u201d a law professor said.",
                "zh": "一位法学教授说：\u201c如果以无法越狱作为门槛，这个国家将一个模型都没有。\u201d",
            },
        ],
        "tags": ["Policy", "Export control"],
        "author": "Rachel Kim",
        "published": "2026-11-19T01:30:00Z",
        "updated": "2026-11-19T09:10:00Z",
    },
    {
        "slug": "chatbot-ads-backlash",
        "kind": "article",
        "title": {
            "en": "Chatbots have started showing ads, and users noticed",
            "zh": "聊天机器人开始投放广告，用户注意到了",
        },
        "dek": {
            "en": "Sponsored answers arrive in the free tiers of two major assistants.",
            "zh": "两大主流助手的免费版开始出现赞助回答。",
        },
        "paragraphs": [
            {
                "en": "Ads appear as labelled cards under an answer, and the companies insist "
                "they never change the answer itself.",
                "zh": "广告以带标签的卡片形式出现在回答下方，两家公司坚称广告绝不会改变回答本身。",
            },
            {
                "en": "Researchers are not convinced. In a small test, shopping questions were "
                "more likely to mention brands that also bought an ad slot.",
                "zh": "研究人员并不信服。在一项小规模测试中，购物类问题的回答更倾向于提到同时购买了"
                "广告位的品牌。",
            },
            {
                "en": "Paid subscribers see no ads, which turns privacy into a premium "
                "feature, a familiar move from social media.",
                "zh": "付费订阅用户看不到广告，这让隐私变成了一项付费功能——社交媒体的老套路。",
            },
        ],
        "tags": ["Advertising", "Chatbots"],
        "author": "Tom Alvarez",
        "published": "2026-11-18T15:00:00Z",
    },
    {
        "slug": "robot-foundation-models",
        "kind": "article",
        "title": {
            "en": "Robot makers bet on one foundation model for every arm",
            "zh": "机器人厂商押注一个基础模型驱动所有机械臂",
        },
        "dek": {
            "en": "Shared models promise cheaper robots, if the data problem can be solved.",
            "zh": "共享模型有望降低机器人成本，前提是数据问题能够解决。",
        },
        "paragraphs": [
            {
                "en": "Instead of programming each robot for each task, start-ups now train "
                "a single model on video and teleoperation data from many machines.",
                "zh": "初创公司不再为每台机器人的每项任务单独编程，而是用来自多台机器的视频和遥操作"
                "数据训练一个统一模型。",
            },
            {
                "en": "The bottleneck is data: there is no internet-sized archive of robots "
                "folding laundry.",
                "zh": "瓶颈在于数据：世上并没有一个互联网规模的“机器人叠衣服”档案库。",
            },
            {
                "en": "Several firms are paying people to wear camera rigs at home to record "
                "chores, raising questions about consent and privacy.",
                "zh": "多家公司花钱请人在家佩戴摄像设备记录家务，由此引发了关于知情同意和隐私的疑问。",
            },
        ],
        "tags": ["Robotics"],
        "author": "Ana Souza",
        "published": "2026-11-17T10:00:00Z",
    },
    {
        "slug": "copyright-settlement-per-book",
        "kind": "split",
        "title": {
            "en": "AI copyright settlement puts a price on every book",
            "zh": "AI版权和解为每一本书定了价",
        },
        "dek": {
            "en": "Authors will be paid per title used in training; the fight over output "
            "continues.",
            "zh": "作者将按训练中使用的每部作品获得赔偿；关于生成内容的争议仍在继续。",
        },
        "paragraphs": [
            {
                "en": "The settlement sets a flat payment for each book found in a pirated "
                "training dataset, and requires the copies to be destroyed.",
                "zh": "和解协议规定，对在盗版训练数据集中发现的每本书支付固定金额，并要求销毁这些副本。",
            },
            {
                "en": "It does not decide whether training on lawfully bought books is fair "
                "use; that question is still before the courts.",
                "zh": "协议并未裁定使用合法购买的图书进行训练是否属于合理使用，这一问题仍有待法院判决。",
            },
            {
                "en": "Publishers say the figure will become a benchmark for licensing deals.",
                "zh": "出版商表示，这一金额将成为授权交易的参考基准。",
            },
        ],
        "tags": ["Copyright", "Law"],
        "author": "Rachel Kim",
        "published": "2026-11-18T04:00:00Z",
        "updated": "2026-11-18T12:30:00Z",
    },
    {
        "slug": "homework-rules-chatbot-era",
        "kind": "split",
        "title": {
            "en": "Schools rewrite homework rules for the chatbot era",
            "zh": "学校为聊天机器人时代改写作业规则",
        },
        "dek": {
            "en": "More writing moves into the classroom; take-home essays are shrinking.",
            "zh": "更多写作转入课堂进行，带回家写的论文越来越少。",
        },
        "paragraphs": [
            {
                "en": "District guidelines now distinguish between using a chatbot to "
                "brainstorm and using it to write.",
                "zh": "学区指南现在区分了用聊天机器人构思和用它代写。",
            },
            {
                "en": "Teachers report that oral exams are back, because they are hard to "
                "outsource.",
                "zh": "教师们表示口试又回来了，因为口试很难找人代劳。",
            },
        ],
        "tags": ["Education"],
        "author": "Tom Alvarez",
        "published": "2026-11-16T23:00:00Z",
    },
    {
        "slug": "gbk-story",
        "kind": "gbk",
        "title": {
            "en": "Chinese model makers cut prices again",
            "zh": "国产大模型价格战再度升级",
        },
        "dek": {
            "en": "",
            "zh": "多家厂商宣布下调API价格，最低降幅达九成。",
        },
        "paragraphs": [
            {
                "en": "",
                "zh": "本周，多家国内大模型厂商相继宣布下调API调用价格，其中一家将旗舰模型的输入价格"
                "下调至每百万词元一元。",
            },
            {
                "en": "",
                "zh": "业内人士认为，价格战的背后是推理成本的快速下降——新一代芯片和更高效的推理"
                "框架让“低价”变得可持续。",
            },
            {
                "en": "",
                "zh": "也有开发者担心，过低的价格难以长期维持，一旦厂商调整策略，依赖这些接口的"
                "应用将面临“断供”风险。",
            },
        ],
        "tags": ["价格战", "大模型"],
        "author": "王晓明",
        "published": "2026-11-19T03:00:00Z",
    },
    {
        "slug": "model-card-standard",
        "kind": "article",
        "title": {
            "en": "Labs agree on a common model card format",
            "zh": "各大实验室就统一的模型卡格式达成一致",
        },
        "dek": {
            "en": "A shared template for evaluations and known limits, published at launch.",
            "zh": "一份在发布时公开评估结果和已知局限的共同模板。",
        },
        "paragraphs": [
            {
                "en": "Seven labs signed up to publish the same sections for every major "
                "release, including dangerous-capability evaluations.",
                "zh": "七家实验室承诺，每次重大发布都公开相同的章节，包括危险能力评估。",
            },
            {
                "en": "Critics note that the format is voluntary and says nothing about who "
                "checks the numbers.",
                "zh": "批评者指出，这一格式是自愿的，也没有规定由谁来核查这些数据。",
            },
        ],
        "tags": ["Transparency"],
        "author": "Ana Souza",
        "published": "2026-11-20T14:00:00Z",
    },
    {
        "slug": "voice-cloning-rules",
        "kind": "article",
        "draft": True,
        "title": {
            "en": "Regulators move against unauthorised voice cloning",
            "zh": "监管机构出手打击未经授权的声音克隆",
        },
        "dek": {
            "en": "Consent will be required before a voice can be copied.",
            "zh": "复制他人声音之前必须获得同意。",
        },
        "paragraphs": [
            {
                "en": "The draft rule requires written consent and a watermark on every "
                "synthetic voice clip.",
                "zh": "规则草案要求取得书面同意，并在每段合成语音中加入水印。",
            },
            {
                "en": "Audio-book narrators pushed hardest for the change.",
                "zh": "有声书朗读者是推动这一变化最积极的群体。",
            },
        ],
        "tags": ["Regulation", "Audio"],
        "author": "Rachel Kim",
        "published": "2026-11-20T08:00:00Z",
    },
]
