"""The word classes the context rules of `context` read: negators and what ends their scope,
ordinal followers, measurement nouns, uses a tip names, values, names and designations, time and region words.

Word classes that must end (or begin) a context are tuples for str.endswith/startswith, far cheaper than an
anchored regex."""

from __future__ import annotations

import re

# Characters of clause kept on each side of a hit; Chinese clauses are rarely longer.
MAX_CONTEXT = 24

# -- negation --------------------------------------------------------------------------------------------
# Longest first, so that 不能 is read as one negator rather than 不 + 能.
NEGATOR = re.compile(
    "谈不上|算不上|称不上|哪来的|不存在|不接受|不支持|不收取|不设|拒绝|从不|从没|并非|绝非|决不|绝不|无法|没有|不能|不会|不可|不得|不敢|不要|不是|不用|不|没|无|非|别|勿|未"
)
# Negators that are themselves modal or copular: whatever follows them is what they deny.
STRONG_NEGATORS = frozenset(
    {
        "谈不上",
        "算不上",
        "称不上",
        "不存在",
        "不接受",
        "不支持",
        "不收取",
        "不设",
        "拒绝",
        "从不",
        "从没",
        "并非",
        "绝非",
        "无法",
        "没有",
        "不能",
        "不会",
        "不可",
        "不得",
        "不敢",
    }
    | {"不是", "决不", "绝不"}
)
# Words that start with a negator but deny nothing (不仅, 非常), or that negate the speaker's manner, not the
# claim (不骗你们, 不夸张, 不得不说); checked at the negator's position.
FALSE_NEGATIONS = (
    "不仅",
    "不但",
    "不光",
    "不只",
    "不止",
    "不愧",
    "不错",
    "不少",
    "不断",
    "不同",
    "不久",
    "不管",
    "不论",
    "不如",
    "不过",
    "不用说",
    "不夸张",
    "不骗",
    "不吹",
    "不开玩笑",
    "不瞒",
    "不得不",
    "不亚于",
    "不输",
    "不一样",
    "不二",
    "没错",
    "没想到",
    "没得说",
    "没话说",
    "无论",
    "无与伦比",
    "无敌",
    "无可",
    "无人",
    "无出其右",
    "别说",
    "别的",
    "别人",
    "别家",
    "非常",
    "非凡",
    "未来",
    "不止于",
    "不用担心",
    "不用犹豫",
    "没说的",
)
# Verbs through which a plain negator reaches an object: saying, having, being able, guaranteeing, believing.
ASSERTION_VERBS = (
    "是",
    "说",
    # 也不想争第一, 不抢第一: competing for the rank is denied with the verb
    "争",
    "抢",
    "想争",
    "想抢",
    "想当",
    "求",
    # 别指望它祛斑: what is not to be expected
    "指望",
    "敢",
    "承诺",
    "保证",
    "具有",
    "具备",
    "有",
    "含",
    "能",
    "会",
    "可",
    "用于",
    "代替",
    "替代",
    "属于",
    "算",
    "做",
    "提供",
    "宣传",
    "宣称",
    "声称",
    "建议",
    "推荐",
    "信",
    "相信",
    "听信",
    "夸",
    "吹",
    "搞",
    "讲",
)
SPEECH_VERBS = (
    "说",
    "敢说",
    "承认",
    "认为",
    "觉得",
    "宣传",
    "宣称",
    "声称",
    "承诺",
    "保证",
    "信",
    "相信",
    "听信",
    "夸",
    "吹",
)
# A contrast or a new predicate ends a negator's scope: 不是最便宜的，但是… / 不含激素是最好的.
SCOPE_BREAK = re.compile("但|却|而是|就是|才是|真是|其实|可是|只是|反而|还是|所以|因为|然后")
COORDINATORS = re.compile("[和与及或跟同]")
MAX_NEGATION_GAP = 10

# -- ordinals, measurements ---------------------------------------------------------------------------------
ORDINAL_FOLLOWERS = tuple(
    sorted(
        [
            "时间",
            "视角",
            "人称",
            "印象",
            "感觉",
            "反应",
            "阶段",
            "部分",
            "视觉",
            "现场",
            "季度",
            "大股东",
            "步骤",
            "章节",
            "层",
            "排",
            "颗",
            "粒",
            "步",
            "次",
            "口",
            "个",
            "件",
            "批",
            "代",
            "季",
            "期",
            "天",
            "日",
            "周",
            "月",
            "年",
            "款",
            "单",
            "条",
            "页",
            "章",
            "节",
            "课",
            "集",
            "场",
            "轮",
            "局",
            "泡",
            "届",
            "波",
            "部",
            "号",
            "顿",
            "遍",
            "回",
            "声",
            "眼",
            "手",
            "站",
            "关",
            "根",
            "只",
            "双",
            "套",
            "瓶",
            "盒",
            "包",
            "袋",
            "杯",
            "碗",
            "张",
            "份",
            "把",
            "台",
            "辆",
            "棵",
            "朵",
            "片",
            "块",
            "道",
            "针",
            "段",
            "行",
            "列",
            "栏",
            "格",
            "楼",
            "座",
            "间",
            "档",
            "挡",
            "环",
            "圈",
            "组",
            "对",
            "项",
            "点",
            "种",
            "类",
            "位",
            "线",
            "届",
            "任",
            "棒",
            "辑",
            "卷",
            "册",
            "幕",
            "首",
            "轮",
            "环节",
            "链接",
            "顺位",
            "口味",
            "时段",
            "句",
            "题",
            "步骤",
            "阶梯",
            "栋",
            "幢",
            "户",
            "单元",
            "篇",
            "艘",
            "架",
            "枚",
        ],
        key=len,
        reverse=True,
    )
)
# A ranking scope before 第一 makes even a classifier-led reading a rank claim: 全国第一家, 销量第一位.
RANK_SCOPE = (
    "全网",
    "全国",
    "全球",
    "世界",
    "行业",
    "国内",
    "业内",
    "同类",
    "天下",
    "市场",
    "中国",
    "亚洲",
    "全省",
    "全市",
    "本地",
    "排名",
    "排行",
    "销量",
    "品类",
    "类目",
    "榜单",
    "榜",
)
DIMENSION_SUPERLATIVE = re.compile("^最[大小高低长短多少快慢重轻宽窄厚薄深浅远近强弱久细粗]$")
QUANTITY = re.compile("[0-9十百千万两几半]")
MEASURE_NOUNS = (
    "容量",
    "保证利率",
    "段位",
    "承重",
    "载重",
    "功率",
    "转速",
    "温度",
    "气温",
    "续航",
    "学历",
    "年龄",
    "工资",
    "薪资",
    "底薪",
    "值",
    "输出",
    "输入",
    "尺寸",
    "尺码",
    "码",
    "号",
    "速度",
    "时速",
    "电压",
    "压力",
    "负载",
    "支持",
    "可以",
    "可",
    "能达",
    "能",
    "达到",
    "不超过",
    "只要",
    "当天",
    "次日",
    "隔天",
    "明天",
    "今天",
    "高度",
    "长度",
    "宽度",
    "重量",
    "厚度",
    "深度",
    "距离",
    "档",
    "风速",
    "亮度",
    # 最长保修期以说明书为准, 游戏最低配置要求：8G内存: the product's own warranty or requirements, a specification.
    "保修期",
    "质保期",
    "配置",
)
SIZE_TOKEN = re.compile("码|号|xl|xs|cm|mm|kg|ml|g$|^x*[sml]$")
# 最高档次, 最高级别: a rank of quality, not a dimension, even though 档 alone is a setting (最高档风速).
NOT_MEASURES = ("档次", "级别", "等级", "品质", "规格", "端")
# 第一名下单的: the first customer to act, an order of arrival, not a ranking.
CUSTOMER_ACTIONS = (
    "下单",
    "拍下",
    "拍",
    "付款",
    "支付",
    "购买",
    "买",
    "抢到",
    "进",
    "来",
    "关注",
    "评论",
    "报名",
    "到店",
    "提交",
)
CUSTOMER_ORDINALS = ("第1名", "第1位", "第1个")
# 百分百纯棉, 100%桑蚕丝: the fibre or material content a label must state, not a promise.
COMPOSITION = (
    "棉",
    "羊毛",
    "羊绒",
    "山羊绒",
    "蚕丝",
    "桑蚕丝",
    "真丝",
    "亚麻",
    "麻",
    "涤纶",
    "锦纶",
    "莫代尔",
    "天丝",
    "牛皮",
    "羊皮",
    "铜",
    "银",
    "钛",
    "不锈钢",
    "实木",
    "乳胶",
    "鹅绒",
    "鸭绒",
    "白鹅绒",
    "可可",
    "果汁",
    "生牛乳",
    "牛乳",
)
PERCENT_WORDS = ("百分之百", "百分百", "100")

# -- tips, attitude, goals, brand scope, titles, names --------------------------------------------------
TIP_TERMS = re.compile("^最(佳|好|适合|合适|宜)")
USAGE_NOUNS = (
    "使用",
    "食用",
    "饮用",
    "服用",
    "冲泡",
    "泡",
    "保存",
    "储存",
    "存放",
    "赏味",
    "品尝",
    "观看",
    "观赏",
    "游览",
    "采摘",
    "种植",
    "播种",
    "时间",
    "时机",
    "时期",
    "时段",
    "温度",
    "顺序",
    "方法",
    "方式",
    "搭配",
    "用量",
    "季节",
    "年龄",
    "口感期",
    "饮用期",
    "保质",
    "涂抹",
    "用法",
    "时长",
    "水温",
    "浓度",
    "比例",
    "剂量",
    "频率",
    "睡前",
    "晚上",
    "早上",
    "饭后",
    "饭前",
)
# 最好 + anything but 的/之 is the modal "had better": 最好冷藏, 最好先试用, 最好用温水冲泡.
MODAL_TERMS = frozenset({"最好", "最好用", "最好吃", "最好喝"})
ADJECTIVE_FOLLOWERS = ("的", "之", "了", "呢", "啊", "吧", "呀", "哦", "没有之", "不过")
VALUE_NOUNS = (
    "质量",
    "品质",
    "顾客",
    "用户",
    "客户",
    "消费者",
    "安全",
    "服务",
    "诚信",
    "信誉",
    "售后",
    "信用",
    "健康",
    "友谊",
    "生命",
    "孩子",
    "宝宝",
    "家人",
    "口碑",
    "客人",
    "买家",
    "粉丝",
)
SERVICE_NOUNS = (
    "服务",
    "态度",
    "服务态度",
    "售后",
    "客服",
    "效率",
    "响应",
)
ATTITUDE_TERMS = frozenset({"第1", "1流", "至上", "最好", "最优", "第1位"})
# 质量第一是我们厂的经营理念: the follower may come after 是 and the owner of the philosophy.
PHILOSOPHY_FOLLOWERS = re.compile(
    "^(?:的|是[\u3400-\u9fff]{0,8}?)?(理念|原则|宗旨|精神|方针|态度|思想|信念|文化|要求|标准)"
)
GOAL_WORDS = re.compile(
    "目标|致力|力争|争取|立志|梦想|愿景|使命|宗旨|理念|追求|尽全力|尽|努力成为|希望成为|想成为|努力做"
)
GOAL_FOLLOWERS = re.compile(
    "^的?(追求|目标|心愿|愿望|梦想|使命|宗旨|理念|努力|诚意|决心|善意|期望|期待|原则|信条|责任)"
)
PRICE_WORDING = re.compile("价|便宜|低|实惠|划算|折")
# Not before 是: 我们家面膜是最好用的 predicates the superlative of the goods, where 我们家卖得最好的 ranks the range;
# nor before 过: 我家用过最好的一台 is the household's experience, not the shop's range.
BRAND_SCOPE = re.compile(
    "(本店|店里|店内|我们店|全店|团里|我们家|我家|自家|咱家|咱们家|本品牌|我们品牌|我们公司|本公司|品牌史上|品牌里|系列里|系列中|本系列|这个系列|家族里|"
    "我们做过|我们出过|我们今年|今年我们|上一代|历代)(?!的)(?:[\u3400-\u9fff0-9]{0,7}[\u3400-\u9fff0-9](?<![是过]))?$"
)
# The product's own variants as the comparison set: 有六个颜色，黑色最百搭 / 五个色号，最受欢迎的是三号色.
VARIANT_COUNT = re.compile(
    "[0-9几多]+(个|款|种|套|色)(颜色|色号|口味|款式|尺码|规格|味道|型号|配色|版本|香型|色系|造型|花色|图案|号)"
)
VARIANT_SUBJECT = (
    "色",
    "号",
    "码",
    "味",
)
VARIANT_OBJECT = re.compile("^的?是[0-9a-z几]*(号|色|码|款|味)")
OWN_OFFER = ("让利", "优惠", "福利", "力度", "诚意", "折扣")
TIP_BY_QUANTITY = re.compile("^最(佳|适合|合适|宜)")
OFFICIAL_TITLE_TERMS = frozenset({"国家级", "世界级", "国际级", "全国", "国家1级", "省级"})
DESIGNATIONS = re.compile(
    "高新技术企业|高新企业|专精特新|重点实验室|实验室|技术中心|"
    "检测机构|检验机构|检测中心|检验中心|质检中心|认证机构|非物质文化遗产|非遗|自然保护区|保护区|风景名胜区|"
    "景区|示范|开发区|新区|经济特区|自贸区|贫困县|传承人|工艺美术|大师|运动员|裁判|教练|荣誉|称号|奖|保护动物|文物|标准|演员|技师|地理标志"
)
NAME_SUFFIXES = ("系", "版", "套餐", "猫", "扣", "珠", "牌", "号店", "款式")
# 世界级大师 is no awarded title (中国工艺美术大师 is); at world level only these designations are conferred.
WORLD_DESIGNATIONS = re.compile(
    "非物质文化遗产|非遗|遗产|地质公园|生物圈|保护区|湿地|冠军|运动员|裁判|奖|赛事|比赛|锦标赛"
)
WORLD_TERMS = frozenset({"世界级", "国际级"})
NAMING_WORDS = (
    "叫",
    "名叫",
    "名为",
    "叫做",
    "名字是",
    "名字叫",
    "色号叫",
    "色号是",
    "取名",
    "品名",
    "型号",
    "系列名",
    "店名",
)
TIME_OR_REGION = re.compile(
    "今年|本月|本周|今天|今日|当月|当季|本季|上半年|下半年|[0-9]+年|双11|双十一|618|本地|本市|本省|全市|全省|省内|市内"
)
RANK_LIKE = re.compile("第1|冠军|销冠|领先|首|最")
# 最后一天发货: an order of events in logistics, not a sales-pressure claim.
LOGISTICS = ("发货", "收货", "物流", "快递", "截单", "停发", "下单时间", "配送", "揽收", "送达")
# 质检一次通过: passing an inspection is not a training result.
INSPECTION = (
    "安检",
    "质检",
    "检测",
    "检验",
    "验收",
    "审核",
    "年检",
    "认证",
    "测试",
    "抽检",
    "验货",
)
