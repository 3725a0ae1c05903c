"""Posts of "Frontier Brief 前沿简报", an aggregator-style bilingual site whose <title> is
always just the site name.  ``headline`` says how a story's heading is marked up (the site
changed templates over time): ``h1-en``, ``h1-zh``, ``slash``, ``pipe`` or ``br``.
"""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "robot-vacuum-on-device-vision",
        "kind": "post",
        "extra": {"headline": "h1-en", "id": 30117},
        "title": {
            "en": "Robot vacuum maker ships an on-device vision model so its robots stop eating cables",
            "zh": "扫地机器人厂商推送端侧视觉模型，机器人不再“吞”数据线",
        },
        "dek": {
            "en": "An over-the-air update moves obstacle recognition onto the robot, and camera images no longer leave the home.",
            "zh": "一次远程升级把障碍物识别放到机器人本地完成，摄像头画面不再离开家中。",
        },
        "tldr": {
            "en": [
                "The update runs obstacle recognition entirely on the robot.",
                "The company says camera images are no longer uploaded.",
                "Older models lack the memory to get the update.",
            ],
            "zh": [
                "此次更新完全在机器人本地运行障碍物识别。",
                "公司称摄像头图像不再上传。",
                "较旧机型因内存不足无法获得此更新。",
            ],
        },
        "paragraphs": [
            {
                "en": "The update replaces a cloud service the robots used to call when they met an unfamiliar object, such as a sock, a cable or pet waste.",
                "zh": "此次更新取代了一项云服务：过去机器人遇到袜子、数据线或宠物粪便等陌生物体时，需要调用它来识别。",
            },
            {
                "en": "The new model runs on the robot's own chip and recognises about 120 kinds of obstacle. The company says camera frames are processed in memory and never uploaded.",
                "zh": "新模型在机器人自带的芯片上运行，可识别约120种障碍物。公司称摄像头画面只在内存中处理，从不上传。",
            },
            {
                "en": "Privacy researchers welcomed the change, which follows a leak two years ago of images taken by test units inside homes.",
                "zh": "隐私研究人员对这一变化表示欢迎。两年前，测试机在家中拍摄的图像曾经外泄。",
            },
            {
                "en": "Owners of models sold before 2024 will not get the update, because their robots lack the memory to run it.",
                "zh": "2024年以前售出机型的用户将无法获得此更新，因为这些机器人的内存不足以运行该模型。",
            },
        ],
        "scores": [82, 71, 64],
        "tags": ["Robotics", "Privacy"],
        "author": "Frontier Brief",
        "published": "2026-11-19T10:00:00Z",
        "updated": "2026-11-19T18:00:00Z",
    },
    {
        "slug": "insurer-drops-ai-claims-screening",
        "kind": "post",
        "extra": {"headline": "h1-zh", "id": 30124},
        "title": {
            "en": "Insurer drops AI claims screening after an audit finds uneven denials",
            "zh": "审计发现拒赔不均，保险公司停用AI理赔筛查",
        },
        "dek": {
            "en": "Claims from two postcodes were flagged for review at three times the average rate.",
            "zh": "两个邮政区的理赔被标记复核的比例是平均水平的三倍。",
        },
        "tldr": {
            "en": [
                "An internal audit found the model flagged some areas far more often.",
                "The insurer has returned to manual screening.",
                "About 1,900 flagged claims will be reviewed again.",
            ],
            "zh": [
                "内部审计发现模型对某些地区的标记频率远高于其他地区。",
                "这家保险公司已恢复人工筛查。",
                "约1900件被标记的理赔将重新审核。",
            ],
        },
        "paragraphs": [
            {
                "en": "The model had been used for 14 months to decide which home-insurance claims needed a closer look before payment.",
                "zh": "在过去14个月里，该模型被用来决定哪些家庭财产保险理赔需要在赔付前仔细审查。",
            },
            {
                "en": "An internal audit found that claims from two postcodes were flagged at three times the average rate, and that flagged claims took a median of 23 days longer to pay.",
                "zh": "内部审计发现，来自两个邮政区的理赔被标记的比例是平均水平的三倍，而被标记理赔的赔付时间中位数要多23天。",
            },
            {
                "en": "The insurer says the model never used addresses directly, but the auditors found that repair-shop names and photo metadata stood in for location.",
                "zh": "保险公司称模型从未直接使用地址，但审计人员发现，维修店名称和照片元数据起到了替代位置信息的作用。",
            },
            {
                "en": "All 1,900 claims flagged in those areas will be reviewed again by staff, and customers whose payments were delayed will receive interest.",
                "zh": "这些地区被标记的全部1900件理赔将由员工重新审核，赔付被延误的客户将获得利息补偿。",
            },
            {
                "en": "The insurer's regulator said it would publish guidance on model audits early next year.",
                "zh": "该保险公司的监管机构表示，将于明年初发布关于模型审计的指引。",
            },
        ],
        "scores": [77, 80, 73],
        "tags": ["Insurance", "Audits"],
        "author": "Frontier Brief",
        "published": "2026-11-19T14:30:00Z",
        "updated": "2026-11-20T01:30:00Z",
    },
    {
        "slug": "university-bans-ai-detectors",
        "kind": "post",
        "extra": {"headline": "slash", "id": 30131},
        "title": {
            "en": "University bans AI-writing detectors in grading",
            "zh": "大学禁止在评分中使用AI写作检测工具",
        },
        "dek": {
            "en": "Staff may no longer cite detector scores in misconduct cases.",
            "zh": "教职员工不得再以检测工具的分数作为学术不端案件的依据。",
        },
        "tldr": {
            "en": [
                "Detector scores can no longer be used as evidence of misconduct.",
                "Appeals had risen sharply since detectors were introduced.",
                "Oral checks will be used when cheating is suspected.",
            ],
            "zh": [
                "检测工具分数不能再作为学术不端的证据。",
                "引入检测工具以来申诉数量急剧上升。",
                "怀疑作弊时将采用口头核查。",
            ],
        },
        "paragraphs": [
            {
                "en": "The university's senate voted to bar staff from using AI-writing detector scores as evidence in academic misconduct cases from next term.",
                "zh": "该校学术评议会投票决定，从下学期起禁止教职员工以AI写作检测工具的分数作为学术不端案件的证据。",
            },
            {
                "en": "Appeals against misconduct findings tripled in the two years after detectors were introduced, and a review found several students had been penalised for essays written before chatbots existed.",
                "zh": "引入检测工具后的两年里，针对学术不端认定的申诉增加了两倍。一次复查发现，有几名学生因聊天机器人问世之前写的论文而受到处罚。",
            },
            {
                "en": "Where staff suspect a student did not write an essay, they will instead hold a short oral discussion of the work.",
                "zh": "今后教职员工若怀疑某篇论文并非学生本人所写，将改为就该论文与学生进行简短的口头讨论。",
            },
            {
                "en": "The students' union called the vote overdue. Some lecturers said oral checks will be hard to schedule for courses with hundreds of students.",
                "zh": "学生会称这一表决来得太迟。一些讲师表示，对于有数百名学生的课程，口头核查很难安排。",
            },
        ],
        "scores": [69, 76, 58],
        "tags": ["Education"],
        "author": "Frontier Brief",
        "published": "2026-11-19T20:15:00Z",
        "updated": "2026-11-19T20:15:00Z",
    },
    {
        "slug": "weather-model-ten-day-forecast",
        "kind": "post",
        "extra": {"headline": "pipe", "id": 30138},
        "title": {
            "en": "A machine-learning weather model beats physics-based forecasts at ten days",
            "zh": "机器学习天气模型在十天预报上胜过物理模型",
        },
        "dek": {
            "en": "The national weather service will run it alongside its main model through the winter.",
            "zh": "国家气象部门将在整个冬季把它与主力模型并行运行。",
        },
        "tldr": {
            "en": [
                "It was more accurate than the physics forecast on 81% of variables at ten days.",
                "It runs in minutes on a single server.",
                "Forecasters still rely on physics models for extreme events.",
            ],
            "zh": [
                "在十天预报上，它在81%的变量上比物理预报更准确。",
                "它在一台服务器上几分钟即可运行完毕。",
                "对于极端天气，预报员仍依赖物理模型。",
            ],
        },
        "paragraphs": [
            {
                "en": "Across a year of test forecasts, the model was more accurate than the service's physics-based system on 81 percent of variables at a ten-day lead time.",
                "zh": "在一整年的测试预报中，提前十天时，该模型在81%的变量上比气象部门的物理模型更准确。",
            },
            {
                "en": "It produces a full global forecast in about four minutes on a single server, compared with more than an hour on a supercomputer for the physics model.",
                "zh": "它在一台服务器上大约四分钟就能生成一份完整的全球预报，而物理模型在超级计算机上需要一个多小时。",
            },
            {
                "en": "Forecasters cautioned that the model learned from past weather and tends to underestimate rare extremes, such as record rainfall.",
                "zh": "预报员提醒说，该模型是从过去的天气中学习的，往往会低估罕见的极端情况，例如破纪录的降雨。",
            },
            {
                "en": "This winter it will run alongside the main system, and duty forecasters will see both before issuing warnings.",
                "zh": "今年冬天，它将与主力系统并行运行，值班预报员在发布预警前可以同时看到两者的结果。",
            },
        ],
        "scores": [88, 75, 79],
        "tags": ["Weather", "Science"],
        "author": "Frontier Brief",
        "published": "2026-11-20T02:00:00Z",
        "updated": "2026-11-20T02:00:00Z",
    },
    {
        "slug": "open-dataset-licence-dispute",
        "kind": "post",
        "extra": {"headline": "br", "id": 30142},
        "title": {
            "en": "A popular open image dataset is pulled over a licence dispute",
            "zh": "一个热门开放图像数据集因许可证纠纷被撤下",
        },
        "dek": {
            "en": "Photographers say their work was included under a licence that never allowed it.",
            "zh": "摄影师们称，他们的作品被以一个从未允许此种用途的许可证收录。",
        },
        "tldr": {
            "en": [
                "The dataset held about 40 million image-caption pairs.",
                "Photographers found their work listed under the wrong licence.",
                "Maintainers plan a smaller, verified release.",
            ],
            "zh": [
                "该数据集包含约4000万组图像与说明文字。",
                "摄影师发现自己的作品被标注了错误的许可证。",
                "维护者计划发布一个更小、经过核实的版本。",
            ],
        },
        "paragraphs": [
            {
                "en": "The maintainers of an image-caption dataset used to train many open models took it offline after photographers showed that thousands of their pictures were listed under a licence they never chose.",
                "zh": "一个被许多开放模型用于训练的图像说明数据集的维护者将其下线，此前摄影师们证明，他们的数千张照片被标注了一个他们从未选择过的许可证。",
            },
            {
                "en": "The error came from a mirror site that had relabelled photos in bulk, and the dataset's crawler trusted the mirror's licence field.",
                "zh": "错误源自一个批量重新标注照片的镜像网站，而数据集的爬虫信任了该镜像的许可证字段。",
            },
            {
                "en": "Models already trained on the data remain online. Their developers say retraining would take months and cost more than the projects can afford.",
                "zh": "已用这些数据训练的模型仍在线上。其开发者表示，重新训练需要数月时间，成本也超出了项目的承受能力。",
            },
            {
                "en": "The maintainers plan a smaller release in which every licence is checked against the original source.",
                "zh": "维护者计划发布一个更小的版本，其中每一条许可证都会与原始来源核对。",
            },
        ],
        "scores": [73, 68, 66],
        "tags": ["Datasets", "Copyright"],
        "author": "Frontier Brief",
        "published": "2026-11-20T06:30:00Z",
        "updated": "2026-11-20T06:30:00Z",
    },
]

GREETINGS = ["Good morning 早上好", "Welcome back 欢迎回来", "Hello 你好"]
RELATED = [
    ("GPU prices keep sliding", "GPU价格持续下滑"),
    ("Open models close the gap", "开放模型缩小差距"),
    ("Agents in the enterprise", "企业里的智能体"),
    ("Chips and export rules", "芯片与出口规则"),
    ("AI in the classroom", "课堂里的AI"),
]
