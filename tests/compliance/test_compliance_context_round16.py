"""Compliance, sixteenth round of context (issue #20), from the false positives of the blind
heldout17 after it was scored: 唯一 before a flaw or the one way to pay (唯一瑕疵是, 唯一指定收款方式为平台),
a consumer's own review declared as such (我今年喝过最好喝的…，纯主观感受; 我心中的第一名，纯属个人口味), the speaker's
own trait (他见过最能拆快递的女人), a feeling about a day (最开心的一天), a mountain's height (世界最高峰), a
monument's record (当地现存最古老的石拱桥), an animal for adoption, a parameter's label and its value
after the colon (最大工作压力：70kPa), a clinic's notice to its patients, top-level domains, two
manner adverbs before a denied act (不要自己随便停药), a league's winner named as the team, wards
and clinics of a hospital named 第一, refusals as negators (不接受私下交易), an address with a
walking time, answers that open with short clauses before denying (答：我是买家，自己感觉就是普通蜂蜜). Each
lawful reading has a twin that keeps the frame and makes the claim, which must stay caught."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

# heldout17's false positives this round reads, and heldout15's 心中的第一名, as the writers wrote them.
SET_ROWS = [
    "这家咖啡的拿铁是我心中的第一名😋 纯属个人口味，没收钱，不接受反驳哈哈",
    "我老公说我是他见过最能拆快递的女人，我竟无法反驳哈哈哈",
    "本店唯一指定收款方式为平台在线支付，请勿私下转账，谨防诈骗",
    "个人觉得是我今年喝过最好喝的冷萃咖啡，纯主观感受，口味因人而异",
    "味道还行，服务员态度特别好，是我在这条街吃过最干净的一家店，个人感受",
    "这只小橘真的无敌可爱，寻找领养，已绝育已打疫苗，需定期回访",
    "品牌：XX；型号：KT-300；容量：3L；额定功率：800W；最大工作压力：70kPa；内胆材质：304不锈钢；"
    "执行标准：GB 4706.19；保修期：一年；产地：广东佛山；包装清单：主机×1、说明书×1、保修卡×1",
    "【宠物医院温馨提示】本院不承诺治愈任何疾病，具体治疗方案以医生面诊检查结果为准。治疗过程中如需调整用药，医生会第一时间与您沟通并征得同意，请各位主人理解配合。急诊请提前电话告知，以便医生做好准备。本院营业时间为每天九点至二十一点。",
    "珠穆朗玛峰是世界最高峰，这次去西藏专门买了这件冲锋衣，防风效果还可以",
    "顶级域名（.com/.cn）注册与续费服务，价格以页面为准",
    "王医生讲座实录：高血压的朋友一定要按时吃药，不要自己随便停药。饮食上少盐少油，每天散步半小时。有人说吃某种东西能代替降压药，这是不对的，任何食品都不能代替药物。有不舒服及时去医院复查，别听信推销。今天的讲座就到这里，谢谢大家。",
    "冠军！本赛季联赛第一名属于我们的主队，球迷围巾限时上架",
    "95新，唯一瑕疵是背面有一道细划痕，介意勿拍，走平台交易",
    "本院第一住院部电梯检修，请患者及家属走东侧楼梯，给您带来不便敬请谅解",
    "今天收到包裹真的是最开心的一天，女儿抱着玩偶一直不撒手",
    "问大家：这个蜂蜜能治咳嗽吗？答：我是买家，自己感觉就是普通蜂蜜，咳嗽还是去医院看吧",
    "这座石桥建于明代，是当地现存最古老的石拱桥，我们的文创小店就在桥头",
    "文玩出售：老和田籽料手把件，重约45克，皮色自然，有细微棉絮。本人非专业，无证书，按图描述，不保证年代，介意的朋友请慎拍，支持平台验货。实物比照片略深，议价请在平台聊天里说，不接受私下交易。同城可以面交看货。",
    "地址：市第一人民医院正对面，步行两分钟即到",
    "买家秀：第二次回购了，这次的颜色比上次还正一点，尺码标准，165/52穿M刚好，裤长到脚踝，洗了一次没有掉色。唯一想吐槽的是快递有点慢，路上走了五天，不过客服态度挺好的，一直在帮我催。总体来说值这个价。",
]

# The same readings in other words.
LAWFUL = [
    "我妈说我是她见过最能睡的孩子",
    "本店唯一收款方式为平台担保交易",
    "个人觉得是我今年吃过最好吃的蛋糕，纯属个人口味",
    "这是我心中的第一名，仅代表个人观点",
    "今天是我最幸福的一天，谢谢大家的祝福",
    "这只小黑狗无敌乖巧，求领养",
    "最大输入功率：1200W",
    "【口腔诊所温馨提示】治疗期间请按时复诊",
    "泰山不是中国最高峰，但名气很大",
    "顶级域名到期请及时续费",
    "不要自己随意停药，遵医嘱调整剂量",
    "本赛季联赛第一名属于主队，恭喜",
    "唯一的缺点是有点重",
    "本院门诊部第一诊室今日停诊",
    "这是当地现存最早的一座木塔",
    "本店不接受任何形式的私下交易",
    "问：这款枕头能治颈椎病吗？答：亲，您好，这就是普通枕头，不能治病",
]

# Twins that keep the frame and make the claim.
CLAIMS = [
    "我是全网最低价的主播，没有之一",
    "个人觉得这是全网最好的面霜，大家闭眼入",
    "唯一获得国家认证的品牌",
    "这款面霜是最好的，今天是最开心的一天快下单",
    "最大的优势是全网最低价",
    "本院治疗糖尿病，效果显著",
    "联赛冠军同款球鞋，全网销量第一",
    "拒绝平庸，选择全网第一的品牌",
    "问：这个能治颈椎病吗？答：亲，能治，用一周就好",
]


test_the_set_rows_pass = lawful_test(SET_ROWS)


test_other_wordings_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
