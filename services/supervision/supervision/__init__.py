"""Supervision service: objections (异议), complaints (投诉) and reports (举报), the credit
archive (诚信档案), joint punishment (联合惩戒) inputs and revocation decisions."""
