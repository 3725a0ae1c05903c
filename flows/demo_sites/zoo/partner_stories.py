"""Harbour Post 港湾邮报, the partner site: its own stories, and which zoo stories it
republishes (``SYNDICATED``), with the intro line it puts above each copy."""

# ruff: noqa: E501 - Chinese text counts double width; wrapping it mid-sentence hurts more.

STORIES = [
    {
        "slug": "port-ai-crane-scheduling",
        "kind": "own",
        "title": {
            "en": "Port authority trials AI scheduling for its container cranes",
            "zh": "港务局试用AI调度集装箱起重机",
        },
        "dek": {
            "en": "Ships wait less at anchor in the first weeks, though autumn is a quiet season.",
            "zh": "试用头几周船舶锚地等待时间缩短，不过秋季本是淡季。",
        },
        "paragraphs": [
            {
                "en": "The port authority has begun a six-month trial of software that assigns cranes and trucks to arriving ships, aiming to cut the time vessels wait at anchor.",
                "zh": "港务局已开始为期六个月的软件试用，由软件为抵港船舶分配起重机和卡车，目的是缩短船舶锚地等待时间。",
            },
            {
                "en": "Dock workers' representatives agreed to the trial on condition that crane operators can override any assignment.",
                "zh": "码头工人代表同意试用，条件是起重机操作员可以否决任何调度安排。",
            },
            {
                "en": "Early figures show average waiting time falling from 19 hours to 14, though the authority says the autumn lull makes comparisons difficult.",
                "zh": "初步数据显示，平均等待时间从19小时降至14小时，不过港务局表示，秋季淡季让比较变得困难。",
            },
        ],
        "tags": ["Local", "Logistics"],
        "author": "Siobhan Kerr",
        "published": "2026-11-19T11:00:00Z",
        "updated": "2026-11-19T11:00:00Z",
    },
    {
        "slug": "libraries-lend-ai-tutors",
        "kind": "own",
        "title": {
            "en": "City libraries start lending time with AI homework tutors",
            "zh": "市图书馆开始出借AI作业辅导时段",
        },
        "dek": {
            "en": "Hour-long sessions on library computers, with a librarian in the room.",
            "zh": "在馆内电脑上辅导一小时，馆员在场。",
        },
        "paragraphs": [
            {
                "en": "Library members can now book hour-long sessions with an AI tutor on library computers, with a librarian on hand in the room.",
                "zh": "图书馆会员现在可以预约在馆内电脑上使用AI辅导一小时，同时有馆员在场。",
            },
            {
                "en": "The service is aimed at pupils whose families cannot afford private tutoring. Bookings filled within two days of launch.",
                "zh": "这项服务面向家庭负担不起私人辅导的学生。上线两天内预约便已满额。",
            },
            {
                "en": "Sessions are not recorded, and the tutor is set up to ask questions rather than hand out finished answers.",
                "zh": "辅导过程不录音录像，辅导程序的设定是提问引导，而不是直接给出完整答案。",
            },
        ],
        "tags": ["Local", "Education"],
        "author": "Tom Achterberg",
        "published": "2026-11-20T04:30:00Z",
        "updated": "2026-11-20T04:30:00Z",
    },
]

# (layout, slug of the original); copies go live at SYNDICATED_AT, hours after the originals.
SYNDICATED = [
    ("wordpress", "gpu-rental-prices-fall"),
    ("portal", "robotaxi-airport"),
    ("amp", "open-speech-model-40-languages"),
    ("sitename", "university-bans-ai-detectors"),
]
SYNDICATED_AT = "2026-11-20T10:30:00Z"
INTRO = {
    "en": "This story was first published by {source} and is republished here under a content partnership.",
    "zh": "本文首发于{source}，经内容合作授权转载。",
}
WEATHER = ["Harbour 14°C, light rain", "Harbour 13°C, cloudy", "Harbour 15°C, sunny spells"]
