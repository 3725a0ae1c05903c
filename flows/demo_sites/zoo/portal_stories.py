"""Articles of "东方科技网", a Chinese news portal: Chinese first, English after.

Ids look like a big portal's document ids; ``charset`` says how the page is served (GBK with
the charset only in <meta>, or GB18030 declared in the header too).  Times are UTC; the
portal shows them in Beijing time.
"""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "api-price-cuts",
        "kind": "article",
        "extra": {
            "id": "JL2K8QH40511B8RF",
            "charset": "gbk",
            "source": "科创日报",
            "editor": "王晓_NT3317",
        },
        "title": {
            "zh": "国内大模型API价格再度下调，部分型号降幅超过七成",
            "en": "Chinese model makers cut API prices again, some by more than 70%",
        },
        "dek": {
            "zh": "多家厂商宣布新一轮降价，开发者关注服务稳定性能否跟上。",
            "en": "Several vendors announced another round of cuts; developers wonder whether reliability will keep up.",
        },
        "paragraphs": [
            {
                "zh": "11月19日，三家国内大模型厂商先后宣布下调API调用价格，其中一款轻量级模型的输入价格降至每百万tokens 0.3元，降幅超过七成。",
                "en": "On November 19, three Chinese model vendors cut the price of their APIs one after another. Input tokens for one lightweight model now cost 0.3 yuan per million, a cut of more than 70 percent.",
            },
            {
                "zh": "业内人士分析，价格下调主要得益于推理芯片供应改善和模型蒸馏技术的成熟，厂商希望借此吸引中小开发者迁移业务。",
                "en": "Industry analysts attribute the cuts mainly to better supply of inference chips and more mature distillation techniques. Vendors hope cheaper tokens will persuade smaller developers to move their workloads.",
            },
            {
                "zh": "不过，多位开发者向记者表示，相比价格，他们更在意高峰时段的稳定性。一位电商应用开发者说：“去年购物节期间接口多次超时，价格再低也弥补不了订单损失。”",
                "en": "Several developers told reporters they care more about reliability at peak times than about price. “The API timed out again and again during last year's shopping festival,” said one e-commerce developer. “No discount makes up for lost orders.”",
            },
            {
                "zh": "据了解，部分厂商已推出按并发量计费的企业套餐，并承诺在高峰期提供专用算力。",
                "en": "Some vendors have introduced enterprise plans billed by concurrency, with dedicated capacity promised at peak times.",
            },
        ],
        "tags": ["大模型", "API"],
        "author": "本报记者 陈静",
        "published": "2026-11-19T08:00:00Z",
        "updated": "2026-11-19T08:00:00Z",
    },
    {
        "slug": "schools-ai-assistants",
        "kind": "article",
        "extra": {
            "id": "JL2M1RT70511C4UE",
            "charset": "gb18030",
            "source": "东方财经讯",
            "editor": "李楠_NB6021",
        },
        "title": {
            "zh": "多地中小学试点AI助教，教师担心批改权被“外包”",
            "en": "Schools in several provinces trial AI teaching assistants, and teachers worry about outsourced marking",
        },
        "dek": {
            "zh": "AI助教主要用于作业批改和课后答疑，最终成绩仍由教师确定。",
            "en": "The assistants mark homework and answer questions after class; teachers still set final grades.",
        },
        "paragraphs": [
            {
                "zh": "本学期起，东部三个省份的40余所中小学开始试点AI助教系统，主要用于作业批改和课后答疑。",
                "en": "Since the start of this term, more than 40 primary and secondary schools in three eastern provinces have been trialling an AI teaching-assistant system, mainly for marking homework and answering questions after class.",
            },
            {
                "zh": "试点学校的一位数学教师介绍，系统能在几分钟内批完一个班的练习，并标出共性错误，但对开放性题目的评分仍不稳定。",
                "en": "A maths teacher at one of the pilot schools said the system can mark a whole class's exercises in minutes and flag common mistakes, but its grading of open-ended questions is still inconsistent.",
            },
            {
                "zh": "部分教师担心，批改工作一旦交给机器，教师将失去了解学生思路的重要渠道。也有家长关心学生数据如何存储和使用。",
                "en": "Some teachers fear that handing marking to a machine will cut them off from an important window into how pupils think. Some parents want to know how pupils' data is stored and used.",
            },
            {
                "zh": "教育部门表示，试点期间AI只提供参考分数，最终成绩仍由教师确定，相关数据不得用于商业用途。",
                "en": "Education officials said that during the pilot the AI only suggests marks; teachers set final grades, and the data may not be used commercially.",
            },
            {
                "zh": "下学期将根据评估结果决定是否扩大试点范围。",
                "en": "Whether to widen the pilot will be decided next term, after an evaluation.",
            },
        ],
        "tags": ["教育", "AI助教"],
        "author": "本报记者 周涛",
        "published": "2026-11-19T12:30:00Z",
        "updated": "2026-11-19T12:30:00Z",
    },
    {
        "slug": "robotaxi-airport",
        "kind": "article",
        "extra": {
            "id": "JL2P6WD20511D9KA",
            "charset": "gbk",
            "source": "南方都市观察",
            "editor": "赵敏_NT2208",
        },
        "title": {
            "zh": "自动驾驶出租车运营范围扩大至机场，夜间服务同步开放",
            "en": "Robotaxi service area expands to the airport, with night-time rides opening too",
        },
        "dek": {
            "zh": "新增运营区域约120平方公里，服务时段延长至凌晨两点。",
            "en": "The operating area grows by about 120 square kilometres and service now runs until 2 a.m.",
        },
        "paragraphs": [
            {
                "zh": "11月18日起，一家自动驾驶企业在南方某城市的无人驾驶出租车运营范围扩大至国际机场，覆盖面积增加约120平方公里。",
                "en": "From November 18, a self-driving company's robotaxi service in a southern city extends to the international airport, adding about 120 square kilometres to its operating area.",
            },
            {
                "zh": "企业负责人表示，新区域包含多条高速路段和复杂的机场落客区，车队此前已完成超过30万公里的安全测试。",
                "en": "A company executive said the new area includes several expressway sections and a complicated airport drop-off zone, and that the fleet had completed more than 300,000 kilometres of safety testing beforehand.",
            },
            {
                "zh": "与此同时，夜间服务时段延长至凌晨两点。有乘客反映，夜间车辆在施工路段会明显减速，但整体乘坐体验平稳。",
                "en": "Night-time service now runs until 2 a.m. Some passengers said the cars slow down noticeably at night around roadworks, but that the ride is smooth overall.",
            },
            {
                "zh": "出租车司机群体对此反应不一。一位从业十年的司机说，机场线路是收入最稳定的部分，担心订单被分流。",
                "en": "Taxi drivers are divided. One driver with ten years on the job said airport runs are the steadiest part of his income, and he worries about losing fares.",
            },
        ],
        "tags": ["自动驾驶", "出行"],
        "author": "本报记者 林晓",
        "published": "2026-11-19T23:10:00Z",
        "updated": "2026-11-19T23:10:00Z",
    },
    {
        "slug": "data-labelling-jobs",
        "kind": "article",
        "extra": {
            "id": "JL2R3XN50511E2PB",
            "charset": "gb18030",
            "source": "科创日报",
            "editor": "孙悦_NB4470",
        },
        "title": {
            "zh": "数据标注员的新工作：从画框到给AI“挑错”",
            "en": "Data labellers' new job: from drawing boxes to grading AI's mistakes",
        },
        "dek": {
            "zh": "高水平标注人才需求增长，低端画框岗位快速减少。",
            "en": "Demand for skilled labellers grows while low-end box-drawing jobs disappear.",
        },
        "paragraphs": [
            {
                "zh": "在中部一座小城的标注基地里，数百名年轻人每天的工作已经从给图片画框，变成了阅读大模型的回答并逐条打分。",
                "en": "At a labelling centre in a small city in central China, hundreds of young workers have moved from drawing boxes around images to reading large-model answers and scoring them line by line.",
            },
            {
                "zh": "基地负责人介绍，新的任务要求员工具备一定的专业背景，部分医学、法律类项目只招收相关专业的毕业生，时薪也随之提高。",
                "en": "The centre's manager said the new tasks need some subject knowledge. Some medical and legal projects only hire graduates in those fields, and hourly pay has risen accordingly.",
            },
            {
                "zh": "但工作强度并未减轻。一名标注员说，每条回答都要对照资料核实，一天下来要看上千段文字，眼睛很累。",
                "en": "The workload has not eased. One labeller said every answer must be checked against sources, which means reading more than a thousand passages a day, and her eyes are exhausted.",
            },
            {
                "zh": "业内预计，随着模型能力提升，对高水平标注人才的需求还将增长，但低端画框岗位正在快速减少。",
                "en": "Industry insiders expect demand for skilled labellers to keep growing as models improve, while low-end box-drawing jobs are disappearing fast.",
            },
        ],
        "tags": ["数据标注", "就业"],
        "author": "本报记者 何东",
        "published": "2026-11-20T03:45:00Z",
        "updated": "2026-11-20T03:45:00Z",
    },
]

# 热点排行: headlines from elsewhere on the portal (off-site channel links), with heat numbers.
HOT_RANK = [
    "国产手机厂商发布自研端侧大模型",
    "多地发布人工智能产业扶持新政",
    "高校开设人工智能通识必修课",
    "机器人马拉松赛事报名开启",
    "算力中心建设进入“东数西算”新阶段",
    "智能眼镜销量同比增长三倍",
    "AI生成短剧走红，版权问题引关注",
    "医保部门试点智能审核系统",
]
ADS = [
    "云服务器限时特惠，新用户首年1折起",
    "AI绘画课程免费试听，零基础也能学",
    "企业级大模型一体机，开箱即用",
    "智能办公本新品上市，立减300元",
]
WEATHER = ["晴 12℃", "多云 11℃", "阴 10℃", "小雨 9℃"]
