// labels.js — how units read in Chinese. The API names a unit's level but
// does not label it, and a summary counts kinds by name only, so the labels
// are kept here, matching src/core/unit.c.
const LEVEL_LABELS = {
  province: '省',
  city: '市',
  county: '县(区)',
  township: '乡镇(街道)',
  village: '村(社区)',
  grid: '网格',
  building: '楼栋',
};

const KIND_LABELS = {
  subdistrict: '街道',
  town: '镇',
  township: '乡',
  community: '社区',
  village: '村',
  other: '其他',
  grid: '网格',
  estate: '小区',
  building: '楼栋',
};

export const levelLabel = (level) => LEVEL_LABELS[level] ?? level;
export const kindLabel = (kind) => KIND_LABELS[kind] ?? kind;
export const formatCount = (n) => n.toLocaleString('zh-CN');

// "14 个乡镇(街道) · 398 个村(社区)" from a summary's counts, skipping zeros.
export function countsText(counts) {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${formatCount(n)} 个${levelLabel(level)}`)
    .join(' · ');
}

// "镇 10 · 乡 4 · 村 398" from a summary's kinds.
export function kindsText(kinds) {
  return Object.entries(kinds)
    .map(([kind, n]) => `${kindLabel(kind)} ${formatCount(n)}`)
    .join(' · ');
}

// "河南省 › 漯河市 › 舞阳县" from a unit's path.
export const pathText = (path) => path.map((p) => p.name).join(' › ');

// "2026-11-23 17:41:07" in the reader's time zone from an ISO 8601 time.
export function formatTime(iso) {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  const date = `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
  return `${date} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}

// ---- 操作日志: what the audit trail records, in words (views/audit.js) ----

// Each action the server records (src/app/*.c), as a phrase. A case's
// steps are "<subject>.<step>": the subject from AUDIT_SUBJECTS and the
// step from the kinds' own transition labels (GET /api/v1/item-types), or
// AUDIT_STEPS for the steps every kind has.
export const AUDIT_ACTIONS = {
  'session.create': '登录',
  'session.fail': '登录失败',
  'session.lock': '登录失败，账号锁定',
  'session.throttle': '登录过于频繁，已限制',
  'session.delete': '退出登录',
  'token.create': '创建访问令牌',
  'token.revoke': '吊销访问令牌',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.password': '修改本人密码',
  'user.import': '批量导入用户',
  'user.move': '随区划调整迁移用户',
  'user.reveal_phone': '查看完整手机号',
  'roles.seed': '更新角色权限',
  'element.create': '新建数据元',
  'indicator.create': '新建指标',
  'rule.create': '新建校验规则',
  'values.write': '填报数据',
  'values.approve': '审核数据',
  'values.unapprove': '撤销数据审核',
  'file.upload': '上传附件',
  'notice.create': '发布通知公告',
  'pairings.save': '保存支部联建',
  'item.batch': '批量交办',
  'item.import': '导入台账',
  'item.escalate': '超期督办上报',
  'units.edition': '应用区划调整',
  'unit.add': '新增单位',
  'unit.rename': '单位更名',
  'unit.retire': '撤销单位',
  'unit.restore': '恢复单位',
  'cases.move': '随区划调整迁移事项',
  'audit.tamper': '发现审计记录被篡改',
};

export const AUDIT_SUBJECTS = { item: '事项', rating: '五星创建', request: '群众诉求', party_case: '党员事项' };

export const AUDIT_STEPS = {
  create: '新建', comment: '留言', reassign: '转办', answer: '填写自评', adjust: '调整评分',
  objection: '提出异议', resolve: '处理异议', withdraw: '撤销命名', checklist: '提交检查清单',
};

// The fields of the records' before/after, as people call them.
export const AUDIT_FIELDS = {
  username: '登录名', display_name: '姓名', role: '角色', role_name: '角色', scope: '管辖范围',
  permissions: '权限', phone: '手机号', disabled: '停用', must_change_password: '须修改密码',
  password: '密码', created_at: '创建时间', last_login_at: '最近登录', reason: '原因',
  tokens: '令牌数', by: '原因', file: '文件', users: '用户数',
  owner_unit: '责任单位', helper_unit: '协办单位', assignee: '承办人', unit: '单位',
  escalated_to: '督办单位', state: '状态', title: '标题', deadline: '期限', priority: '优先级',
  note: '说明', evidence: '佐证', rating: '评价', score: '评分', yes: '回答', target: '目标',
  level: '星级', element: '数据元', period: '期间', value: '数值', code: '代码', name: '名称',
  formula: '公式', message: '提示', severity: '级别', files: '附件',
};

// Why a sign-in was refused, as the trail says it.
export const AUDIT_REASONS = { unknown: '没有这个账号', password: '密码错误', disabled: '账号已停用', locked: '已被锁定' };
