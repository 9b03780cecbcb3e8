"""Compliance, twenty-second round of context (issue #20), from the false positives of the blind set heldout22: the
scenes a text is set in (`context_words_scenes`) — an exhibition describing what it shows (本馆最受关注的展品之一,
第一展厅), a custom described (古人认为可以辟邪纳福), a game's conferred title (获得称号【无敌小勇士】) and a setting at
its limit (攻击力提升至最高), sports results named in the clause before (…决赛中，她…夺得第一名) and the player credited
(最大的功臣), a clinic's or a ward's notice (探视须知, 本院执业兽医提醒), medical information that leaves the choice to
a doctor (由医生…来定) or a pharmacy's notice (本店…处方药请凭医生处方购买), a past return disclosed with its caveat,
the law explained with a case (律师说法), a platform's rule naming what it bans (禁止发布宣扬“开光”…等封建 迷信内容), a
speaker's label opening a line (B：, no 去疤), a superlative of a fault (最严重的一款, 全国第一难吃), the light or a
sight at its best time (日出时分光线最好, 叶子黄了的时候最好看), a declaration of love (你是我唯一的光), a song line,
and the speaker before their own traits (我这人最大的优点). Found while reading it: 最好 + a verb of the senses
(最好看的口红) is the adjective, not the modal "had better" (最好看一下说明书), and it had passed as a consumer tip.
Each lawful reading has a twin that keeps the frame and makes the claim, which must stay caught."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

# heldout22's false positives this round reads, as the writer wrote them.
SET_ROWS = [
    "你是我唯一的光，照亮回家的路",
    "在昨晚的女子1500米决赛中，她以4分02秒的成绩夺得第一名，并打破了赛会纪录。",
    "恭喜你通关第一章，获得称号【无敌小勇士】",
    (
        "住院部探视须知：为保障患者休息与治疗，探视时间为每日15:00-19:00，每床最多两名家"
        "属同时探视。重症监护室实行预约探视，每次不超过15分钟。发热或有呼吸道症状的人员请勿进入病"
        "区。感谢您的理解与配合。"
    ),
    "春节贴福字、挂桃符，古人认为可以辟邪纳福，这一习俗延续了上千年。",
    "BOSS进入狂暴状态，攻击力提升至最高，注意走位！",
    (
        "展览导览｜第一展厅展出新石器时代彩陶，其中人面鱼纹盆是本馆最受关注的展品之一；第二展厅为青"
        "铜器专题；第三展厅为互动体验区，适合亲子参观。参观请走右侧楼梯，最后一批入场时间为16:3"
        "0。"
    ),
    (
        "【洱海边·半山民宿】房间位于三楼，推开窗就能看到洱海，日出时分光线最好。房内最多可入住4人"
        "，含早餐，可提供接站服务（需提前一天在平台消息里预约）。温馨提示：古城内禁止车辆进入，行李"
        "较多的客人请提前告知。"
    ),
    (
        "本院执业兽医提醒：犬细小病毒感染病死率较高，目前没有特效药，治疗以补液、止吐、抗感染等支持"
        "疗法为主，早发现早治疗是关键。按时接种疫苗是重要的预防手段，幼犬满6周龄即可开始首免。"
    ),
    (
        "李姐，您上次问的那款固收+我又看了下，它是R2中低风险，不保本，过去一年的年化是3.1%，"
        "但这只是历史数据，不代表以后。您的风险测评是C3，可以买，但我建议别把应急的钱放进去，定期"
        "到期了我们再聊。"
    ),
    (
        "在刚结束的城市电竞联赛决赛中，本地战队以3:1击败对手夺得冠军，这也是该队历史上第一次拿到"
        "联赛冠军。赛后队长表示，最大的功臣是替补上场的辅助选手。"
    ),
    "最美的不是下雨天，是曾与你躲过雨的屋檐",
    (
        "问：有没有最好的降压药？\n答：没有“最好的”降压药，只有最适合你的。常用的降压药分为五大类"
        "，每类都有各自的适用人群和副作用，具体吃哪种、吃多少，一定要由医生根据你的血压水平、年龄和"
        "合并症来定。也不要相信什么保健品能替代降压药，擅自停药很危险。"
    ),
    (
        "律师说法｜主播在直播间引导粉丝“加V私聊下单”，看起来省了平台佣金，实际上风险全在消费者身"
        "上：一旦收到假货，平台无法介入，聊天记录被删就很难维权。多数平台规则也明确禁止诱导站外交易"
        "，违规商家可能被封店。"
    ),
    "本店执业药师在岗时间为8:00-20:00，处方药请凭医生处方购买。",
    (
        "【消保委比较试验】本次共购买20款儿童吸管杯样品，检测项目包括材质安全、密封性和标称容量。"
        "结果显示，3款产品实际容量比标称值少10%以上，最严重的一款少了18%，1款吸管配件检出塑"
        "化剂超标。消保委建议家长选购时查看执行标准，并定期更换吸管。"
    ),
    (
        "【特展预告】“丝路遗珍”特展将于7月1日在本馆三楼开幕，展出文物120余件（套），其中最引"
        "人注目的是一件唐代鎏金银壶，这也是该文物首次离开原收藏地对外展出。展期至10月8日，周一闭"
        "馆。"
    ),
    (
        "【社区规范】为维护健康的内容环境，本平台禁止发布宣扬“开光”“转运”“招财”“化煞”等封建"
        "迷信内容的商品和服务信息。违规内容将被删除，情节严重的账号将被限制商品分享权限。"
    ),
]

# The same readings in other words.
LAWFUL = [
    "他是我唯一的依靠",
    "我这个人最大的毛病就是太较真",
    "在上周的市运动会100米决赛中，他以11秒02夺得第一名",
    "恭喜你解锁成就【无敌小旋风】",
    "住院须知：住院期间请配合医生治疗，不得擅自离院",
    ("A：周末一起去？\nB：好啊"),
    "端午挂艾草，相传可以辟邪驱虫",
    "把亮度调到最大，户外也看得清",
    "展览介绍｜本馆最珍贵的藏品是一件宋代瓷瓶",
    "第二天参观第一展区的恐龙化石",
    "傍晚时分景色最美，适合拍照",
    "本院提醒：治疗期间请按时复诊",
    "这只基金过去三年年化收益是5.2%，过往业绩不预示未来表现",
    "这次抽检中问题最严重的是某品牌的电热水壶",
    "本场比赛最大的功臣是守门员",
    "本店执业药师提醒：处方药须凭处方购买，请勿自行用药",
    "以案说法：商家在直播间诱导顾客加微信私下转账，属于违规行为",
    "平台禁止销售宣扬“转运”等封建迷信内容的商品",
    "所有降压药都要由医生根据病情来定，不要自己停药",
    "最好看一下说明书再用",
    "油菜花开的季节最美",
    "我们做过最好的一款",
    "我们出过最轻的一代",
]

# Twins that keep a frame and make the claim.
CLAIMS = [
    "我们家面霜最大的优点就是全网最好用",
    "这款跑鞋帮他在决赛中夺得第一名，全网销量第一",
    "本品牌荣获称号【全网第一】",
    "戴上这个手串可以辟邪，相传很灵验，今天特价",
    "这款吹风机温度调到最高也不伤发，全网最强",
    "这款灯光线最好，全网最亮",
    "这款理财年化收益8%，稳赚不赔",
    "这款茶要在医生指导下饮用，能治疗高血压，链接在下方",
    "律师说法：加我微信，免费咨询",
    "春节特惠：开光貔貅，相传能辟邪，限时99元",
    "这款面霜是全国第一好用",
    "B：这款面霜能去疤",
    "这款面霜用的时候效果最好",
    "最好看的口红色号",
    "这件最好看，今天下单立减",
    # Found by a probe of plain claims after the round: the household's experience is no shop range (我家用过), and
    # what the speaker has seen is a claim when the text sells (家人们冲).
    "这款扫地机是我家用过最好的一台，今天下单送耗材",
    "这是我见过最好用的拖把，家人们冲",
]


test_the_set_rows_pass = lawful_test(SET_ROWS)


test_other_wordings_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
