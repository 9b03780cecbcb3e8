"""Compliance, fourteenth round of context (issue #20), from the false positives of the blind heldout15 after it was
scored: a writer's XX placeholder read as pinyin (XX驾校 as 雪茄), superstition called 没有的事, a first in history
commemorated, someone else's question reported (题主问…靠不靠谱), a game's winner and prize, the dearest of the items a
list names, a company's largest shareholder, the first to open each day, a state testing body's level, warnings not to
believe only the seller's words (别只听车商说), a quoted pitch that the next clause judges (这种宣传…不靠谱), a
rhetorical denial of an effect (哪来的减肥功效), a brand's first flagship store opening, a consumer notice's header
framing every sentence after it. Each lawful reading has a twin that keeps the frame and makes the claim, which must
stay caught."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

# heldout15's false positives this round reads, as the writer wrote them.
SET_ROWS = [
    "主播：这个手串就是个饰品，戴着好看，什么转运招财都是没有的事，大家别信那些。副播：天然石，每颗纹路不一样，介意的慎拍。",
    "中国第一颗原子弹爆炸成功60周年纪念展，免费预约参观，每日限流3000人。",
    "题主问理财型保险'保本'靠不靠谱。分红险的分红是不保证的，演示利益只是假设，真正写进合同的只有保证部分，一定要看条款。",
    "活动规则：本周全服战力排行榜第一名的玩家可获得限定头像框，排名以活动结束时服务器数据为准。",
    "合集｜租房党必备的6件小家电，都是白菜价，最贵的一件也就199，放在出租屋刚刚好",
    "XX公司2023年年度报告：报告期内实现营业收入12.3亿元，同比增长8.1%；归属于上市公司股东的净利润1.1亿元，同比下降3.2%；第一大股东持股比例为32.5%，前十大股东合计持股61.7%。公司第一季度新增门店46家，关闭门店12家。以上数据经会计师事务所审计。",
    "我们是这条街上每天第一家开门的早餐店，早上五点半营业，豆浆现磨。",
    "XX珠宝：本款为足金999，附国家级检测机构出具的鉴定证书，克重以实物称重为准。",
    "说下我自己的经验：买二手车一定要查维保记录和出险记录，别只听车商说'准新车''零事故'，这些都要求写进合同里。",
    "XX驾校：学费3980元，包含科目一至科目四培训，考试费按车管所标准另行收取，不承诺一次通过。",
    "避雷｜某网红祛痘膏说'三天根治痘痘'，这种宣传本身就违规，化妆品不能宣称治疗，大家别被洗脑",
    "姐妹问我为啥不推那个'三天瘦十斤'的茶，因为这种宣传一看就不靠谱，普通食品哪来的减肥功效",
    "新闻稿：XX品牌首家线下旗舰店将于2024年9月1日在成都开业，开业首周到店可领取定制帆布袋。",
    "消费提示｜市消协提醒：近期有直播间以'全网最低价''包治百病'等话术诱导老年人购买保健品，请勿轻信，更不要私下转账。消费者购买保健食品时应认准'蓝帽子'标志，保健食品不能代替药物；遇到商家引导添加私人微信、承诺'无效退款'的，请保留聊天记录和支付凭证，及时拨打12315投诉举报。",
]

# The same readings in other words.
LAWFUL = [
    "XX驾校：学费3980元，考试费另收",
    "XXX小区两室一厅出租，拎包入住",
    "主播：这个吊坠就是个装饰，什么招财转运都是没有的事",
    "中国第一艘航母入列10周年纪念活动，欢迎预约参观",
    "题主问分红险'保本'靠不靠谱。分红是不保证的，要看合同条款",
    "排行榜第一名的用户可获得限定徽章",
    "这5件厨房好物都很便宜，最贵的一件也才89",
    "本期第一大股东持股比例为21.3%",
    "每天第一个开门的水果店，早上六点营业",
    "附国家级检验中心出具的检测报告",
    "别光听销售说'零风险'，合同上写清楚才算数",
    "某品牌面霜说'七天祛斑'，这种宣传一看就不靠谱",
    "普通饮料哪来的降血糖功效",
    "本品牌首家旗舰店将于下月在杭州开业",
    "消费提示｜市消协提醒：谨防直播间低价陷阱。遇到商家承诺'包治百病'的，请保留证据，及时投诉",
]

# Twins that keep the frame and make the claim.
CLAIMS = [
    "这款是全网最便宜的一件，错过就没了",
    "中国第一颗自主研发的美容芯片，就在我们这款仪器里",
    "每天销量第一的面膜，闭眼入",
    "题主问这款面膜能不能祛斑？能，用一周就没了",
    "某品牌说'三天根治痘痘'，我们的产品才是真正能根治痘痘的",
    "排行榜第一名的护肤品牌就是我们",
    "国家级品质，检测机构认证",
    "XX牌面霜七天祛斑",
    "我们是全国第一家开门的24小时药店",
    "这款茶有降血糖功效，哪来的副作用",
    "消费提示：近期有商家承诺'无效退款'，这款减肥茶我们店就有，无效退款",
]


test_the_set_rows_pass = lawful_test(SET_ROWS)


test_other_wordings_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
